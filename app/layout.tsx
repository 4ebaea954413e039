import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';
// Each area's styles in its own file, after the shared tokens and components they build on.
import './styles/teacher-and-stage.css';
import './styles/student.css';
import './styles/review.css';
import './styles/solo.css';
import './styles/authoring.css';

// The brand mark inline: no file to serve, and browsers stop asking for /favicon.ico.
const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%2314162e'/%3E%3Crect x='6' y='18' width='5' height='8' rx='1.5' fill='%23ffb066'/%3E%3Crect x='13.5' y='7' width='5' height='19' rx='1.5' fill='%235fd4c0'/%3E%3Crect x='21' y='13' width='5' height='13' rx='1.5' fill='%23b99bff'/%3E%3C/svg%3E";

export const metadata: Metadata = {
  icons: { icon: ICON },
  title: { default: 'Attention Arena', template: '%s · Attention Arena' },
  description: 'A live classroom game where every student plays a token and the class discovers how attention in language models works.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#f6f4ef',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: the server's Content-Security-Policy carries a fresh nonce,
  // and Next can put it on its scripts only while rendering (a prerendered page would have none).
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link href="/" className="brand" aria-label="Attention Arena, home">
              <span className="brand__mark" aria-hidden="true">
                <span />
                <span />
                <span />
              </span>
              <span className="brand__name">Attention Arena</span>
            </Link>
          </div>
        </header>
        <main id="main" className="site-main">
          {children}
        </main>
        <footer className="site-footer">
          <p>Attention Arena · every number on screen is computed by a real, tiny transformer layer.</p>
        </footer>
      </body>
    </html>
  );
}
