# SheenApps Worker: production image. Runs as an unprivileged user under an init that reaps
# orphaned processes; builds are sandboxed with bubblewrap.
#
#   docker build -t sheenapps-worker .
#   docker build --build-arg INSTALL_CLAUDE_CLI=true -t sheenapps-worker .   # AI_PROVIDER=claude-cli
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# postgresql-client: pg_dump and pg_restore for `node dist/ops/backup.js` / `restore.js`.
RUN apt-get update \
  && apt-get install -y --no-install-recommends bubblewrap tini ca-certificates util-linux \
    postgresql-client \
  && rm -rf /var/lib/apt/lists/*
# The Claude Code CLI engine (AI_PROVIDER=claude-cli) only when asked: it is large, and the
# other engines do not need it. The version is the one the engine is tested against.
ARG INSTALL_CLAUDE_CLI=false
ARG CLAUDE_CLI_VERSION=2.1.197
RUN if [ "$INSTALL_CLAUDE_CLI" = "true" ]; then \
      npm install -g --no-audit --no-fund "@anthropic-ai/claude-code@${CLAUDE_CLI_VERSION}" \
      && claude --version \
      && npm cache clean --force; \
    fi
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# Owned by the runtime user before any volume is mounted there: an empty named volume takes
# the ownership of the directory it is mounted on (compose.yaml mounts /data/artifacts and
# /backups).
RUN mkdir -p /data/artifacts /backups && chown -R node:node /data /backups
USER node
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=8080
EXPOSE 8080
# Follows PORT as the container runs it (docker run -e PORT=9000 moves the check too).
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/myhealthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The flags are SERVER_NODE_FLAGS in src/node-flags.ts (why, and what they cost).
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
