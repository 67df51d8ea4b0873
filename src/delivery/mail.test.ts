/** Tests of createMailer: real delivery to a local SMTP server (test/support/smtp.ts), failures, the console transport. */

import { createServer, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSmtpServer, type SmtpTestServer } from '../../test/support/smtp.js';
import { TwofoldError } from '../errors.js';
import { createMailer } from './mail.js';

const FROM = 'Twofold Demo <no-reply@example.com>';
const CODE_TEXT = 'Use this code to sign in: 482913';

let smtp: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Sends and returns the rejection, checking it is MAIL_SEND_FAILED and quotes no part of the mail. */
async function expectMailFailure(send: Promise<void>): Promise<TwofoldError> {
  const error: unknown = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwofoldError);
  const failure = error as TwofoldError;
  expect(failure.code).toBe('MAIL_SEND_FAILED');
  expect(failure.message).not.toContain('482913');
  expect(failure.message).not.toContain('sign in');
  return failure;
}

describe('createMailer over SMTP', () => {
  it('delivers to a real SMTP server: From, To, Subject and text read back', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: FROM });
    expect(mailer.transport).toBe('smtp');
    await mailer.send({ to: 'ann@example.com', subject: 'Your sign-in code', text: CODE_TEXT });
    const mail = await smtp.waitForMail((m) => m.to === 'ann@example.com');
    expect(mail.from).toBe('no-reply@example.com');
    expect(mail.headers.get('from')).toBe('Twofold Demo <no-reply@example.com>');
    expect(mail.subject).toBe('Your sign-in code');
    expect(mail.text).toBe(CODE_TEXT);
    expect(mail.html).toBeNull();
    expect(mail.envelope).toEqual({ mailFrom: 'no-reply@example.com', rcptTo: ['ann@example.com'] });
  });

  it('decodes a quoted-printable body and an encoded-word subject before comparing', async () => {
    const text = `Grüße, Zoë! Code = 482913.\n${'long line '.repeat(20)}end\nsecond line`;
    const subject = 'Ihr Anmeldecode – bitte nicht weitergeben ✓';
    await createMailer({ smtpUrl: smtp.url, from: FROM }).send({ to: 'zoe@example.com', subject, text });
    const mail = await smtp.waitForMail((m) => m.to === 'zoe@example.com');
    expect(mail.headers.get('content-transfer-encoding')).toBe('quoted-printable');
    expect(mail.raw).not.toContain('Grüße'); // it really was encoded on the wire
    expect(mail.raw).toMatch(/=\r\n/); // with soft line breaks
    expect(mail.text).toBe(text);
    expect(mail.subject).toBe(subject);
  });

  it('sends an HTML alternative next to the text', async () => {
    await createMailer({ smtpUrl: smtp.url, from: FROM }).send({
      to: 'html@example.com',
      subject: 'Code',
      text: CODE_TEXT,
      html: '<p>Use this code to sign in: <b>482913</b></p>',
    });
    const mail = await smtp.waitForMail((m) => m.to === 'html@example.com');
    expect(mail.text).toBe(CODE_TEXT);
    expect(mail.html).toBe('<p>Use this code to sign in: <b>482913</b></p>');
  });

  it('logs in with the user and password in the URL, percent-decoded', async () => {
    const withAuth = await startSmtpServer({ auth: { user: 'mailer@example.com', pass: 'p@ss:w/rd %' } });
    try {
      expect(withAuth.url).toContain('mailer%40example.com:p%40ss%3Aw%2Frd%20%25@');
      await createMailer({ smtpUrl: withAuth.url, from: FROM }).send({ to: 'ann@example.com', subject: 'Code', text: CODE_TEXT });
      expect((await withAuth.waitForMail()).authenticatedAs).toBe('mailer@example.com');

      const wrong = withAuth.url.replace('p%40ss', 'nope');
      const failure = await expectMailFailure(createMailer({ smtpUrl: wrong, from: FROM }).send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
      expect(failure.message).toContain('EAUTH');
      expect(failure.message).not.toContain('nope');
    } finally {
      await withAuth.close();
    }
  });

  it('hands each mail out once, so a resend is read as the new mail', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: FROM });
    await mailer.send({ to: 'resend@example.com', subject: 'Code', text: 'code 111111' });
    await mailer.send({ to: 'resend@example.com', subject: 'Code', text: 'code 222222' });
    const isResend = (m: { to: string }): boolean => m.to === 'resend@example.com';
    expect((await smtp.waitForMail(isResend)).text).toBe('code 111111');
    expect((await smtp.waitForMail(isResend)).text).toBe('code 222222');
    await expect(smtp.waitForMail(isResend, 50)).rejects.toThrow(/No matching mail/);
  });

  it('fails with MAIL_SEND_FAILED, quickly and without a crash, when the SMTP server is down', async () => {
    const url = `smtp://127.0.0.1:${await closedPort()}`;
    const started = performance.now();
    const failure = await expectMailFailure(createMailer({ smtpUrl: url, from: FROM, timeoutInSeconds: 1 }).send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
    expect(failure.message).toContain('ECONNREFUSED');
    expect(failure.cause).toBeDefined();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('gives up after timeoutInSeconds when the server accepts the connection but never greets', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accept and say nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = performance.now();
      const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeoutInSeconds: 0.3 });
      const failure = await expectMailFailure(mailer.send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
      expect(failure.message).toContain('ETIMEDOUT');
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails with MAIL_SEND_FAILED naming the SMTP reply when the server refuses the message', async () => {
    smtp.refuseNextMails(1);
    const failure = await expectMailFailure(createMailer({ smtpUrl: smtp.url, from: FROM }).send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
    expect(failure.message).toContain('550');
  });

  const nonLoopbackAddress = Object.values(networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal)?.address;

  it.skipIf(nonLoopbackAddress === undefined)('refuses to send off-machine over smtp:// without STARTTLS (OOB-09)', async () => {
    const remote = await startSmtpServer({ host: nonLoopbackAddress });
    try {
      const failure = await expectMailFailure(createMailer({ smtpUrl: remote.url, from: FROM, timeoutInSeconds: 2 }).send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
      expect(failure.message).toContain('ETLS');
      expect(remote.messages).toHaveLength(0);
    } finally {
      await remote.close();
    }
  });

  it.skipIf(nonLoopbackAddress === undefined)('checks the certificate of a STARTTLS upgrade off-machine (OOB-09)', async () => {
    const remote = await startSmtpServer({ host: nonLoopbackAddress, offerStartTls: true });
    try {
      await expectMailFailure(createMailer({ smtpUrl: remote.url, from: FROM, timeoutInSeconds: 2 }).send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
      expect(remote.messages).toHaveLength(0);
    } finally {
      await remote.close();
    }
  });

  it('throws TypeError for a bad smtpUrl without echoing its password', () => {
    for (const smtpUrl of ['http://user:hunter2@mail.example.com', 'mail.example.com:25', 'smtp://', 'smtp:///nohost']) {
      expect(() => createMailer({ smtpUrl, from: FROM })).toThrow(TypeError);
    }
    expect(() => createMailer({ smtpUrl: 'http://user:hunter2@mail.example.com', from: FROM })).not.toThrow(/hunter2/);
    expect(() => createMailer({ smtpUrl: smtp.url, from: '' })).toThrow(/from/);
    expect(() => createMailer({ smtpUrl: smtp.url, from: FROM, timeoutInSeconds: -1 })).toThrow(/timeoutInSeconds/);
  });

  it('rejects with TypeError a header with a line break (header injection) or a missing text', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: FROM });
    await expect(mailer.send({ to: 'a@example.com', subject: 'Code\r\nBcc: evil@example.com', text: 'x' })).rejects.toThrow(TypeError);
    await expect(mailer.send({ to: 'a@example.com\nBcc: evil@example.com', subject: 'Code', text: 'x' })).rejects.toThrow(TypeError);
    await expect(mailer.send({ to: 'a@example.com', subject: 'Code', text: undefined as never })).rejects.toThrow(TypeError);
  });
});

describe('createMailer without an SMTP URL (development console transport)', () => {
  it('prints From, To, Subject and text to the given console, and says it did not send', async () => {
    const written: string[] = [];
    const mailer = createMailer({ from: FROM, console: { write: (text) => written.push(text) } });
    expect(mailer.transport).toBe('console');
    await mailer.send({ to: 'ann@example.com', subject: 'Your sign-in code', text: CODE_TEXT, html: '<p>x</p>' });
    const output = written.join('');
    expect(output).toContain('NOT sent');
    expect(output).toContain(`From: ${FROM}`);
    expect(output).toContain('To: ann@example.com');
    expect(output).toContain('Subject: Your sign-in code');
    expect(output).toContain(CODE_TEXT);
    expect(output).not.toContain('<p>x</p>');
  });

  it('treats an empty SMTP_URL as none', () => {
    expect(createMailer({ smtpUrl: '', from: FROM, console: { write: () => true } }).transport).toBe('console');
  });

  it('refuses to start in production, where printing codes would leak them into logs', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => createMailer({ from: FROM })).toThrow(/smtpUrl.*production/);
    expect(createMailer({ smtpUrl: smtp.url, from: FROM }).transport).toBe('smtp');
  });

  it('turns a failing console into MAIL_SEND_FAILED', async () => {
    const mailer = createMailer({
      from: FROM,
      console: {
        write: () => {
          throw new Error('EPIPE');
        },
      },
    });
    await expectMailFailure(mailer.send({ to: 'a@example.com', subject: 'Code', text: CODE_TEXT }));
  });
});

/** A port nothing listens on: bind one, note it, release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
