// Start the telegram-test-api emulator on 127.0.0.1:PORT and print "ready" when it listens.
// Used by tests/test_telegram_e2e.py; installed by `.ci/run` (npm install --prefix tests/e2e).
const TelegramServer = require('telegram-test-api');

const port = parseInt(process.argv[2] || '9000', 10);
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });

server.start().then(() => {
  process.stdout.write('ready\n');
});

function stop() {
  server.stop().finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
