// Stand-in for a generated app's src/App.tsx, for the type checker only: the engine writes
// App.tsx from the app's list of components (render/shell.ts).
import type { JSX } from 'react';

export default function App(): JSX.Element;
