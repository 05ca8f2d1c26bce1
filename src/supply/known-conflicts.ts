/**
 * Known dependency conflicts and the one deterministic fix for each. Data, versioned: a build
 * event names the table version that changed a project, so a change of behaviour is traceable
 * to a change here. Add entries for conflicts that are real and common in generated apps,
 * with the registry facts that make them conflicts (checked against the registry when added).
 */

export const KNOWN_CONFLICTS_VERSION = 1;

export type ConflictFix =
  /** Raise the declared range; `add` names packages the new range needs beside it (peers). */
  | { kind: 'bump'; range: string; add?: Record<string, string> }
  /** Swap for a drop-in package with the same API; imports of the old name are rewritten. */
  | { kind: 'replace'; to: string; range: string };

export interface KnownConflict {
  id: string;
  /** The dependency whose declared range conflicts. */
  package: string;
  /**
   * It conflicts when its declared range admits no version at or above this one (null: no
   * version of it fixes the conflict, only a replacement does)…
   */
  fixedIn: string | null;
  /** …while the project pins this package to this range or above (e.g. React 19). */
  with: { name: string; atLeast: string };
  why: string;
  fix: ConflictFix;
}

export const KNOWN_CONFLICTS: readonly KnownConflict[] = [
  {
    id: 'react-test-renderer-react-19',
    package: 'react-test-renderer',
    fixedIn: '19.0.0',
    with: { name: 'react', atLeast: '19.0.0' },
    why: 'react-test-renderer 18.x has the peer range react ^18.x (its own minor), so npm refuses it beside React 19 (ERESOLVE); its major must follow React’s.',
    fix: { kind: 'bump', range: '^19.0.0' },
  },
  {
    id: 'testing-library-react-react-19',
    package: '@testing-library/react',
    fixedIn: '16.1.0',
    with: { name: 'react', atLeast: '19.0.0' },
    why: '@testing-library/react before 16.1.0 has the peer range react ^18.0.0; 16.1.0 adds ^19.0.0, and since 16.0 @testing-library/dom is a peer the project installs itself.',
    fix: { kind: 'bump', range: '^16.1.0', add: { '@testing-library/dom': '^10.0.0' } },
  },
  {
    id: 'react-beautiful-dnd-react-19',
    package: 'react-beautiful-dnd',
    fixedIn: null,
    with: { name: 'react', atLeast: '19.0.0' },
    why: 'react-beautiful-dnd is archived and its last release (13.1.1) has the peer range react up to ^18.0.0; @hello-pangea/dnd is its maintained fork with the same API and React 19 in its peer range.',
    fix: { kind: 'replace', to: '@hello-pangea/dnd', range: '^18.0.1' },
  },
  {
    id: 'vitejs-plugin-react-vite-6',
    package: '@vitejs/plugin-react',
    fixedIn: '4.3.4',
    with: { name: 'vite', atLeast: '6.0.0' },
    why: '@vitejs/plugin-react before 4.3.4 has the peer range vite ^4.2.0 || ^5.0.0; 4.3.4 adds ^6.0.0, with no change to its options.',
    fix: { kind: 'bump', range: '^4.3.4' },
  },
];
