-- CreateIndex
CREATE INDEX "timeline_event_delivery_id_idx" ON "timeline_event"("delivery_id");
