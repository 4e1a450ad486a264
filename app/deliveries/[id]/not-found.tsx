import { NotFoundPanel } from "@/components/provenance/not-found-panel";

export default function DeliveryNotFound() {
  return <NotFoundPanel what="delivery" hint="No stored delivery has this id." />;
}
