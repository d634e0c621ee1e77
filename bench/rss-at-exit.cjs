// Preloaded into a measured process (node --require): writes its peak RSS to $CNN_BENCH_RSS_FILE at exit.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.CNN_BENCH_RSS_FILE) writeFileSync(process.env.CNN_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
