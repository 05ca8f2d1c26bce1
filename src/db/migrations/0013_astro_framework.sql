-- Astro sites can be imported and built (static output), so a project or version may record
-- 'astro' as its framework. The constraints are replaced, not dropped: the column stays closed.
ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_framework_check;
ALTER TABLE projects ADD CONSTRAINT projects_framework_check
  CHECK (framework IN ('react', 'nextjs', 'vue', 'svelte', 'astro', 'static'));

ALTER TABLE project_versions DROP CONSTRAINT IF EXISTS project_versions_framework_check;
ALTER TABLE project_versions ADD CONSTRAINT project_versions_framework_check
  CHECK (framework IN ('react', 'nextjs', 'vue', 'svelte', 'astro', 'static'));
