package dev.reverserepl.ordering.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rule S5 of the module README: the gate paces the read and never stalls it. */
class FlowGateTest {
  @Test
  void ruleS5_theGateIsFullAtItsRoomAndReleasesMakeRoomAgain() {
    try (FlowGate gate = FlowGate.open(10)) {
      assertSame(gate, FlowGate.find(gate.id()));
      gate.read(9);
      assertFalse(gate.full());
      gate.read(1);
      assertTrue(gate.full());
      FlowGate.release(gate.id(), 4);
      assertFalse(gate.full());
      assertEquals(10, gate.peakInFlight());
    }
  }

  @Test
  void ruleS5_aFullGateWithNothingReleasedDoublesItsRoomInsteadOfStalling() throws Exception {
    try (FlowGate gate = FlowGate.open(10)) {
      gate.read(10);
      assertTrue(gate.full());
      Thread.sleep(FlowGate.STALL_MILLIS + 200);
      assertFalse(gate.full(), "after a stall the source reads on");
      assertEquals(20, gate.room());
    }
  }

  @Test
  void ruleS5_aClosedOrUnknownGateIsNoGate() {
    FlowGate gate = FlowGate.open(1);
    gate.close();
    assertNull(FlowGate.find(gate.id()));
    assertNull(FlowGate.find(null));
    FlowGate.release(gate.id(), 5); // a remote worker's release: nothing to do, no error
  }
}
