CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"task" jsonb NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "compressed_key" text;--> statement-breakpoint
CREATE INDEX "product_images_compressed_key_idx" ON "product_images" USING btree ("compressed_key") WHERE "product_images"."compressed_key" is not null;--> statement-breakpoint
CREATE INDEX "product_images_source_key_idx" ON "product_images" USING btree ("source_key") WHERE "product_images"."source_key" is not null;