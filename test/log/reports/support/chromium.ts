// Drives headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe):
// Chromium reads commands from fd 3 and writes replies and events to fd 4, each a JSON
// message ended by a NUL byte. No port to pick or race for, no WebSocket, no new
// dependency, and the browser dies with the pipe. Events give exactly what the test must
// prove: every request the page makes (Network.requestWillBeSent), every console message
// and uncaught exception (Runtime), every browser-side error such as a CSP violation
// (Log.entryAdded), and any dialog an injected script would open.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { OutsideTool } from '../../../support/outside-tool.js';

/** Where Debian installs Chromium; `CHROMIUM_PATH` overrides. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const chromiumAvailable = () => existsSync(CHROMIUM);
/** Chromium as an outside tool: tests that need it skip without it, and fail under CI. */
export const CHROMIUM_TOOL: OutsideTool = { name: `Chromium (${CHROMIUM})`, available: chromiumAvailable(), install: 'Debian: apt-get install -y chromium; or set CHROMIUM_PATH' };

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** What the page did while it was open. */
export interface PageRecord {
  readonly requests: string[];
  readonly console: { type: string; text: string }[];
  readonly exceptions: string[];
  readonly logErrors: string[];
  readonly dialogs: string[];
}

export interface Browser {
  /** Opens `url`, waits for its load event, and returns what the page did so far. */
  open(url: string, viewport: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export interface Page {
  readonly record: PageRecord;
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the whole page, or of the first element matching `selector`. */
  screenshot(selector?: string): Promise<Buffer>;
  /** Lays the page out as for print (`@media print`) at this width in CSS pixels, or back to the screen with `null`. */
  emulatePrint(width: number | null): Promise<void>;
  /** Prints the page to PDF on this paper (inches), margins from the page's CSS `@page` rule. */
  printToPdf(paper: Paper): Promise<Buffer>;
}

/** A sheet of paper, in inches. */
export interface Paper {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

/** The two paper sizes reports are printed on. */
export const PAPERS: readonly Paper[] = [
  { name: 'A4', width: 210 / 25.4, height: 297 / 25.4 },
  { name: 'Letter', width: 8.5, height: 11 },
];

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'capa-kit-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox', // the test may run as root in a container
      '--disable-gpu',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--hide-scrollbars',
      '--mute-audio',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void; method: string }>();
  const listeners = new Set<(message: Message) => void>();
  let buffer = Buffer.alloc(0);
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let end = buffer.indexOf(0); end !== -1; end = buffer.indexOf(0)) {
      const message = JSON.parse(buffer.subarray(0, end).toString('utf8')) as Message;
      buffer = buffer.subarray(end + 1);
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter?.resolve(message.result ?? {});
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`Chromium exited (${code}) during ${waiter.method}: ${stderr}`));
    pending.clear();
  });

  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    });
  const waitFor = (method: string, sessionId: string, timeoutMs = 20_000): Promise<Message> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`Timed out waiting for ${method}`));
      }, timeoutMs);
      const listener = (message: Message) => {
        if (message.method === method && message.sessionId === sessionId) {
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(message);
        }
      };
      listeners.add(listener);
    });

  await send('Browser.getVersion');

  return {
    async open(url, viewport) {
      const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
      const record: PageRecord = { requests: [], console: [], exceptions: [], logErrors: [], dialogs: [] };
      listeners.add((message) => {
        if (message.sessionId !== sessionId) return;
        const params = message.params ?? {};
        switch (message.method) {
          case 'Network.requestWillBeSent':
            record.requests.push(String((params['request'] as { url: string }).url));
            break;
          case 'Runtime.consoleAPICalled':
            record.console.push({
              type: String(params['type']),
              text: ((params['args'] as { value?: unknown; description?: string }[]) ?? []).map((a) => String(a.value ?? a.description ?? '')).join(' '),
            });
            break;
          case 'Runtime.exceptionThrown':
            record.exceptions.push(JSON.stringify(params['exceptionDetails']));
            break;
          case 'Log.entryAdded': {
            const entry = params['entry'] as { level: string; text: string; source: string };
            if (entry.level === 'error') record.logErrors.push(`${entry.source}: ${entry.text}`);
            break;
          }
          case 'Page.javascriptDialogOpening':
            record.dialogs.push(String(params['message']));
            void send('Page.handleJavaScriptDialog', { accept: false }, sessionId);
            break;
          default:
            break;
        }
      });
      for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await send(`${domain}.enable`, {}, sessionId);
      await send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false }, sessionId);
      const loaded = waitFor('Page.loadEventFired', sessionId);
      const navigation = (await send('Page.navigate', { url }, sessionId)) as { errorText?: string };
      if (navigation.errorText !== undefined) throw new Error(`Navigation to ${url} failed: ${navigation.errorText}`);
      await loaded;
      return {
        record,
        async evaluate<T>(expression: string): Promise<T> {
          const reply = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)) as {
            result: { value: T };
            exceptionDetails?: unknown;
          };
          if (reply.exceptionDetails !== undefined) throw new Error(`evaluate failed: ${JSON.stringify(reply.exceptionDetails)}`);
          return reply.result.value;
        },
        async emulatePrint(width) {
          await send('Emulation.setEmulatedMedia', { media: width === null ? '' : 'print' }, sessionId);
          await send('Emulation.setDeviceMetricsOverride', { width: Math.floor(width ?? viewport.width), height: viewport.height, deviceScaleFactor: 1, mobile: false }, sessionId);
        },
        async printToPdf(paper) {
          const pdf = (await send('Page.printToPDF', { paperWidth: paper.width, paperHeight: paper.height, printBackground: true, preferCSSPageSize: false }, sessionId)) as { data: string };
          return Buffer.from(pdf.data, 'base64');
        },
        async screenshot(selector?: string) {
          let clip: { x: number; y: number; width: number; height: number };
          if (selector === undefined) {
            const metrics = (await send('Page.getLayoutMetrics', {}, sessionId)) as { cssContentSize: { width: number; height: number } };
            clip = { x: 0, y: 0, width: metrics.cssContentSize.width, height: metrics.cssContentSize.height };
          } else {
            const box = (await send(
              'Runtime.evaluate',
              {
                expression: `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height }; })()`,
                returnByValue: true,
              },
              sessionId,
            )) as { result: { value: typeof clip } };
            clip = box.result.value;
          }
          const shot = (await send(
            'Page.captureScreenshot',
            { format: 'png', captureBeyondViewport: true, clip: { x: Math.floor(clip.x), y: Math.floor(clip.y), width: Math.ceil(clip.width), height: Math.ceil(clip.height), scale: 1 } },
            sessionId,
          )) as { data: string };
          return Buffer.from(shot.data, 'base64');
        },
      };
    },
    async close() {
      try {
        await Promise.race([send('Browser.close'), new Promise((resolve) => setTimeout(resolve, 3000))]);
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
