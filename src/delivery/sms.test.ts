/** Tests of the SMS sender registry (SmsSenderFactory) and the dummy sender. */

import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { TwofoldError } from '../errors.js';
import { DummySmsSender, SmsSenderBase, SmsSenderFactory, SmsSenderRegistry } from './sms.js';
import { TwilioSmsSender } from './twilio.js';

const TWILIO_CONFIG = { ACCOUNT_SID: 'AC123', AUTH_TOKEN: 'secret-token', PHONE_NUMBER: '+15005550006' };

class RecordingSender extends SmsSenderBase {
  readonly sent: string[] = [];
  constructor(readonly label: string) {
    super();
  }
  async sendSms(_fromNumber: string, toNumber: string): Promise<void> {
    this.sent.push(toNumber);
  }
}

describe('SmsSenderRegistry', () => {
  it('comes with dummy and twilio, found whatever the case (FST says Dummy and Twilio)', () => {
    const registry = new SmsSenderRegistry();
    expect(registry.names).toEqual(['dummy', 'twilio']);
    expect(registry.create('Dummy')).toBeInstanceOf(DummySmsSender);
    expect(registry.create('DUMMY')).toBeInstanceOf(DummySmsSender);
    expect(registry.create('Twilio', TWILIO_CONFIG)).toBeInstanceOf(TwilioSmsSender);
    expect(registry.has('TWILIO')).toBe(true);
    expect(registry.has('acme')).toBe(false);
  });

  it('hands out its one dummy sender, so a test can read what the library sent', async () => {
    const registry = new SmsSenderRegistry({ clock: fixedClock(1_700_000_000) });
    const first = registry.create('dummy');
    const second = registry.create('Dummy', { ignored: true });
    expect(first).toBe(registry.dummy);
    expect(second).toBe(registry.dummy);
    await first.sendSms('+15005550006', '+16505551212', 'Use this code to sign in: 123456');
    expect(registry.dummy.messages).toEqual([
      { from: '+15005550006', to: '+16505551212', message: 'Use this code to sign in: 123456', sentAtInSeconds: 1_700_000_000 },
    ]);
  });

  it('fails with SMS_SENDER_UNKNOWN listing the registered names', () => {
    const registry = new SmsSenderRegistry();
    let caught: unknown;
    try {
      registry.create('Nexmo');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TwofoldError);
    expect((caught as TwofoldError).code).toBe('SMS_SENDER_UNKNOWN');
    expect((caught as TwofoldError).message).toContain('dummy, twilio');
  });

  it('registers a custom sender, passes it the config, and lets a later registration replace it', () => {
    const registry = new SmsSenderRegistry();
    registry.register('Acme', (config) => new RecordingSender(String(config.LABEL)));
    const acme = registry.create('acme', { LABEL: 'one' });
    expect(acme).toBeInstanceOf(RecordingSender);
    expect((acme as RecordingSender).label).toBe('one');
    expect(registry.names).toEqual(['dummy', 'twilio', 'Acme']);

    registry.register('ACME', () => new RecordingSender('two'));
    expect((registry.create('Acme') as RecordingSender).label).toBe('two');
    expect(registry.names).toEqual(['dummy', 'twilio', 'ACME']);
  });

  it('keeps registries apart: registering on one leaves the default SmsSenderFactory alone', () => {
    const registry = new SmsSenderRegistry();
    registry.register('only-here', () => new RecordingSender('x'));
    expect(SmsSenderFactory.has('only-here')).toBe(false);
    expect(registry.dummy).not.toBe(SmsSenderFactory.dummy);
  });

  it('is what SmsSenderFactory is: the FST-style static-looking calls work on the default instance', async () => {
    expect(SmsSenderFactory).toBeInstanceOf(SmsSenderRegistry);
    SmsSenderFactory.dummy.clear();
    await SmsSenderFactory.create('Dummy').sendSms('+15005550006', '+16505551212', 'hello');
    expect(SmsSenderFactory.dummy.lastMessage()?.message).toBe('hello');
  });

  it('throws TypeError for a bad registration or a creator that returns no sender', () => {
    const registry = new SmsSenderRegistry();
    expect(() => registry.register('', () => new RecordingSender('x'))).toThrow(TypeError);
    expect(() => registry.register('x', 'not a function' as never)).toThrow(TypeError);
    registry.register('broken', () => ({}) as never);
    expect(() => registry.create('broken')).toThrow(/broken/);
  });

  it('lets a sender creator reject bad config with a TypeError naming the key', () => {
    expect(() => new SmsSenderRegistry().create('twilio', { ACCOUNT_SID: 'AC123' })).toThrow(/authToken/);
  });
});

describe('DummySmsSender', () => {
  it('keeps messages in order and finds the newest to a number', async () => {
    const sender = new DummySmsSender({ clock: fixedClock(10) });
    await sender.sendSms('+1', '+16505551212', 'first');
    await sender.sendSms('+1', '+442083661177', 'other');
    await sender.sendSms('+1', '+16505551212', 'second');
    expect(sender.messages.map((sms) => sms.message)).toEqual(['first', 'other', 'second']);
    expect(sender.lastMessage('+16505551212')?.message).toBe('second');
    expect(sender.lastMessage()?.message).toBe('second');
    expect(sender.lastMessage('+33123456789')).toBeUndefined();
  });

  it('can be told to fail: it rejects with SMS_SEND_FAILED and keeps nothing, then works again', async () => {
    const sender = new DummySmsSender();
    sender.failNextSends(2);
    for (let i = 0; i < 2; i += 1) {
      await expect(sender.sendSms('+1', '+16505551212', 'code 123456')).rejects.toMatchObject({ code: 'SMS_SEND_FAILED' });
    }
    await sender.sendSms('+1', '+16505551212', 'code 654321');
    expect(sender.messages.map((sms) => sms.message)).toEqual(['code 654321']);
    expect(() => sender.failNextSends(-1)).toThrow(TypeError);
  });

  it('clear() forgets messages and pending failures', async () => {
    const sender = new DummySmsSender();
    await sender.sendSms('+1', '+2', 'x');
    sender.failNextSends();
    sender.clear();
    expect(sender.messages).toEqual([]);
    await sender.sendSms('+1', '+2', 'y');
    expect(sender.messages).toHaveLength(1);
  });
});
