package dev.reverserepl.templates;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;

/** A small options interface covering every annotation the generator reads. */
public interface SampleTemplateOptions extends SampleBaseOptions, StreamingOptions {
  @Description("Session file of the Spanner migration tool.")
  @Validation.Required
  String getSessionFilePath();

  void setSessionFilePath(String value);

  @Description("Rows per MySQL transaction.")
  @Default.Integer(1000)
  int getBatchSize();

  void setBatchSize(int value);

  @Description("Drop changes written by the forward migration.")
  @Default.Boolean(true)
  boolean isFilterForwardMigration();

  void setFilterForwardMigration(boolean value);

  @Description("Buffer between the jobs.")
  @Default.Enum("PUBSUB")
  Buffer getBufferType();

  void setBufferType(Buffer value);

  @Description("Kafka topic.")
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description("Spanner instance.")
  @Default.String("")
  String getInstanceId();

  void setInstanceId(String value);

  @Description("Emulator host:port, for tests.")
  @Default.String("")
  String getEmulatorHost();

  void setEmulatorHost(String value);

  @Hidden
  @Description("Internal.")
  String getInternalKnob();

  void setInternalKnob(String value);

  enum Buffer {
    PUBSUB,
    KAFKA
  }
}

/** A project super-interface: its options are template parameters too. */
interface SampleBaseOptions extends PipelineOptions {
  @Description("Shards file.")
  @Validation.Required
  String getSourceShardsFilePath();

  void setSourceShardsFilePath(String value);
}
