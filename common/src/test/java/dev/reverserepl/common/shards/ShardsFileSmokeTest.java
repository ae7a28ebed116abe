package dev.reverserepl.common.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardsFileSmokeTest {
  @Test
  void parsesSeedExample() {
    List<Shard> shards = ShardsFile.parse(
        "[{\"logicalShardId\":\"shard1\",\"host\":\"10.11.12.13\",\"user\":\"root\",\"password\":\"mypwd\","
            + "\"port\":\"3306\",\"dbName\":\"db1\"}]",
        "shards.json");
    assertEquals(1, shards.size());
    assertEquals(3306, shards.get(0).port());
    assertEquals("jdbc:mysql://10.11.12.13:3306/db1?allowPublicKeyRetrieval=true&characterEncoding=UTF-8&useSSL=false",
        shards.get(0).jdbcUrl());
    assertFalse(shards.get(0).toString().contains("mypwd"));
  }
}
