CREATE TABLE `customers` (
  `customer_id` BIGINT NOT NULL,
  `full_name` VARCHAR(100) NOT NULL,
  `email` VARCHAR(200) DEFAULT NULL,
  `balance` DECIMAL(12,2) DEFAULT NULL,
  `created_at` DATETIME(6) DEFAULT NULL,
  PRIMARY KEY (`customer_id`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `orders` (
  `customer_id` BIGINT NOT NULL,
  `order_id` BIGINT NOT NULL,
  `amount` DOUBLE DEFAULT NULL,
  `status` VARCHAR(20) NOT NULL,
  `payload` JSON DEFAULT NULL,
  `note` BLOB DEFAULT NULL,
  PRIMARY KEY (`customer_id`, `order_id`),
  CONSTRAINT `fk_orders_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`customer_id`) ON DELETE CASCADE
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `products` (
  `sku` VARCHAR(36) NOT NULL,
  `title` VARCHAR(200) NOT NULL,
  `price` DECIMAL(10,2) DEFAULT NULL,
  `in_stock` TINYINT(1) DEFAULT NULL,
  `released` DATE DEFAULT NULL,
  PRIMARY KEY (`sku`)
) DEFAULT CHARSET=utf8mb4;
