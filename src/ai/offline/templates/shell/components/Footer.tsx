import { site } from '../data';

export default function Footer() {
  const year = new Date().getFullYear();

  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <div>
          <p className="brand">
            <span aria-hidden="true">{site.logo}</span> {site.name}
          </p>
          <p className="muted">{site.tagline}</p>
        </div>
        <nav className="footer-nav" aria-label="Footer">
          {site.nav.map((link) => (
            <a key={link.href} href={link.href}>
              {link.label}
            </a>
          ))}
        </nav>
      </div>
      <div className="container footer-bottom">
        <p className="muted small">
          © {year} {site.name}. {site.footerNote}
        </p>
        <a className="muted small" href="#top">
          Back to top ↑
        </a>
      </div>
    </footer>
  );
}
