package dev.reverserepl.reverse;

import dev.reverserepl.common.shards.Shard;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections to a shard for the reverse readers (metadata, phase checks). */
public final class ShardJdbc {
  private ShardJdbc() {}

  public static Connection connect(Shard shard) throws SQLException {
    if (shard.password() == null && shard.secretManagerUri() != null) {
      throw new SQLException(
          "shard "
              + shard.logicalShardId()
              + ": its password is in Secret Manager ("
              + shard.secretManagerUri()
              + "); pass a shards file with the password resolved");
    }
    Properties p = new Properties();
    p.setProperty("user", shard.user());
    p.setProperty("password", shard.password() == null ? "" : shard.password());
    p.setProperty("connectTimeout", "5000");
    Connection c = DriverManager.getConnection(shard.jdbcUrl(), p);
    c.setAutoCommit(true);
    return c;
  }
}
