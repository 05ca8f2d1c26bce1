import { useEffect, useState } from 'react';
import { gallery } from '../data';
import SectionHeading from './SectionHeading';

function tileBackground(hue: number): string {
  return (
    'linear-gradient(135deg, hsl(' + hue + ' 70% 78%), hsl(' + ((hue + 40) % 360) + ' 60% 58%))'
  );
}

export default function Gallery() {
  const [openId, setOpenId] = useState<string | null>(null);
  const open = gallery.items.find((item) => item.id === openId) ?? null;

  useEffect(() => {
    if (openId === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpenId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId]);

  return (
    <section id="gallery" className="section">
      <div className="container">
        <SectionHeading eyebrow={gallery.eyebrow} title={gallery.title} intro={gallery.intro} />
        <div className="gallery-grid">
          {gallery.items.map((item) => (
            <button
              key={item.id}
              type="button"
              className="tile"
              style={{ background: tileBackground(item.hue) }}
              onClick={() => setOpenId(item.id)}
            >
              <span className="tile-icon" aria-hidden="true">
                {item.icon}
              </span>
              <span className="tile-caption">{item.caption}</span>
            </button>
          ))}
        </div>
      </div>
      {open ? (
        <div
          className="overlay"
          role="dialog"
          aria-modal="true"
          aria-label={open.caption}
          onClick={() => setOpenId(null)}
        >
          <figure className="overlay-card" onClick={(event) => event.stopPropagation()}>
            <div
              className="overlay-art"
              style={{ background: tileBackground(open.hue) }}
              aria-hidden="true"
            >
              {open.icon}
            </div>
            <figcaption>{open.caption}</figcaption>
            <button type="button" className="btn btn-ghost" onClick={() => setOpenId(null)}>
              Close
            </button>
          </figure>
        </div>
      ) : null}
    </section>
  );
}
