export interface MapLinkProps {
  anchor: string;
  title: string;
  address: string;
}

/**
 * A plain link to OpenStreetMap's search for the address: the page embeds no map, loads
 * nothing from another site and sets no cookies; the visitor chooses to follow it.
 */
export function mapHref(address: string): string {
  return 'https://www.openstreetmap.org/search?query=' + encodeURIComponent(address);
}

export default function MapLink({ anchor, title, address }: MapLinkProps) {
  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container narrow map-link">
        <h2 id={anchor + '-title'}>{title}</h2>
        <address className="map-address">{address}</address>
        <a className="btn" href={mapHref(address)} target="_blank" rel="noopener noreferrer">
          Open in OpenStreetMap<span className="sr-only"> (opens in a new tab)</span>
        </a>
      </div>
    </section>
  );
}
