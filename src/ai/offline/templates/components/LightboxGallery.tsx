import { useEffect, useRef, useState } from 'react';

export interface LightboxGalleryProps {
  anchor: string;
  title: string;
  intro: string;
  /** Pictures are drawn (an emoji on a gradient of `hue`): generated apps load no images. */
  items: { id: string; caption: string; icon: string; hue: number }[];
}

function background(hue: number): string {
  return (
    'linear-gradient(135deg, hsl(' + hue + ' 70% 78%), hsl(' + ((hue + 40) % 360) + ' 60% 58%))'
  );
}

export default function LightboxGallery({ anchor, title, intro, items }: LightboxGalleryProps) {
  const [open, setOpen] = useState<number | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const tiles = useRef<(HTMLButtonElement | null)[]>([]);
  const lastOpened = useRef<number | null>(null);

  const close = () => setOpen(null);
  const step = (by: number) =>
    setOpen((index) => (index === null ? null : (index + by + items.length) % items.length));

  useEffect(() => {
    if (open === null) {
      // Give focus back to the tile that opened the lightbox, wherever it was stepped to.
      if (lastOpened.current !== null) tiles.current[lastOpened.current]?.focus();
      return;
    }
    closeButton.current?.focus();
  }, [open]);

  const current = open === null ? null : items[open];

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container">
        <div className="section-heading">
          <h2 id={anchor + '-title'}>{title}</h2>
          {intro ? <p className="section-intro">{intro}</p> : null}
        </div>
        <ul className="lightbox-grid">
          {items.map((item, index) => (
            <li key={item.id}>
              <button
                type="button"
                className="tile"
                ref={(element) => {
                  tiles.current[index] = element;
                }}
                style={{ background: background(item.hue) }}
                aria-label={'Open ' + item.caption}
                onClick={() => {
                  lastOpened.current = index;
                  setOpen(index);
                }}
              >
                <span className="tile-icon" aria-hidden="true">
                  {item.icon}
                </span>
                <span className="tile-caption">{item.caption}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      {current ? (
        <div
          className="overlay"
          role="dialog"
          aria-modal="true"
          aria-label={current.caption}
          onClick={close}
          onKeyDown={(event) => {
            if (event.key === 'Tab') {
              // Keep focus inside the open dialog: wrap from the last button to the first.
              const buttons = [...event.currentTarget.querySelectorAll('button')];
              const edge = event.shiftKey ? buttons[0] : buttons[buttons.length - 1];
              if (document.activeElement !== edge) return;
              (event.shiftKey ? buttons[buttons.length - 1] : buttons[0])?.focus();
            } else if (event.key === 'Escape') close();
            else if (event.key === 'ArrowRight') step(1);
            else if (event.key === 'ArrowLeft') step(-1);
            else return;
            event.preventDefault();
          }}
        >
          <figure className="overlay-card" onClick={(event) => event.stopPropagation()}>
            <div
              className="overlay-art"
              style={{ background: background(current.hue) }}
              aria-hidden="true"
            >
              {current.icon}
            </div>
            <figcaption>
              {current.caption}{' '}
              <span className="muted">
                ({(open ?? 0) + 1} of {items.length})
              </span>
            </figcaption>
            <div className="lightbox-actions">
              <button type="button" className="btn btn-ghost" onClick={() => step(-1)}>
                Previous
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => step(1)}>
                Next
              </button>
              <button type="button" className="btn" ref={closeButton} onClick={close}>
                Close
              </button>
            </div>
          </figure>
        </div>
      ) : null}
    </section>
  );
}
