CREATE TABLE customers (
  customer_id INT64 NOT NULL,
  full_name STRING(100) NOT NULL,
  email STRING(200),
  balance NUMERIC,
  created_at TIMESTAMP,
  migration_shard_id STRING(50),
) PRIMARY KEY (customer_id);

CREATE TABLE orders (
  customer_id INT64 NOT NULL,
  order_id INT64 NOT NULL,
  amount FLOAT64,
  status STRING(20) NOT NULL,
  payload JSON,
  note BYTES(MAX),
  migration_shard_id STRING(50),
) PRIMARY KEY (customer_id, order_id),
  INTERLEAVE IN PARENT customers ON DELETE CASCADE;

CREATE TABLE products (
  sku STRING(36) NOT NULL,
  title STRING(200) NOT NULL,
  price NUMERIC,
  in_stock BOOL,
  released DATE,
  migration_shard_id STRING(50),
) PRIMARY KEY (sku);

CREATE TABLE audit_events (
  event_id STRING(36) NOT NULL,
  detail STRING(MAX),
) PRIMARY KEY (event_id);
