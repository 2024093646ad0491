ALTER TABLE "product_images" ADD COLUMN "renditions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "rendition_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "placeholder" jsonb;--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "source_digest" text;--> statement-breakpoint
ALTER TABLE "product_images" ADD COLUMN "reused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "product_images_rendition_keys_idx" ON "product_images" USING gin ("rendition_keys");--> statement-breakpoint
CREATE INDEX "product_images_source_digest_idx" ON "product_images" USING btree ("source_digest") WHERE "product_images"."status" = 'done';--> statement-breakpoint
-- Hand-written: an image done before renditions existed lists its one compressed object as its only rendition.
UPDATE "product_images" SET "renditions" = jsonb_build_array(jsonb_build_object('width', "width", 'height', "height", 'format', "format", 'bytes', "bytes", 'url', "compressed_url")), "rendition_keys" = ARRAY["compressed_key"] WHERE "status" = 'done' AND "compressed_key" IS NOT NULL;
