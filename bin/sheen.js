#!/usr/bin/env node
// The installed `sheen` command: runs the compiled CLI (npm run build produces dist/).
import('../dist/cli/sheen.js');
