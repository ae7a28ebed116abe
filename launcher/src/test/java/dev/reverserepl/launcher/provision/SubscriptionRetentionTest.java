package dev.reverserepl.launcher.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.pubsub.v1.Subscription;
import org.junit.jupiter.api.Test;

/** A replaced writer seeks its subscription back: acknowledged messages must still be there. */
class SubscriptionRetentionTest {
  @Test
  void rule6_subscriptionsRetainAcknowledgedMessagesForSevenDays() {
    Subscription s = SubscriptionProvisioner.desired("p", "t", "shard1");
    assertTrue(s.getRetainAckedMessages());
    assertEquals(7 * 24 * 3600, s.getMessageRetentionDuration().getSeconds());
  }

  @Test
  void rule8_anExistingSubscriptionThatDropsAcknowledgedMessagesWarns() {
    Subscription want = SubscriptionProvisioner.desired("p", "t", "shard1");
    ProvisionResult r =
        SubscriptionProvisioner.judge(
            "subscription shard1", want, want.toBuilder().setRetainAckedMessages(false).build());
    assertTrue(r.toString().contains("retainAckedMessages"), r.toString());
  }
}
