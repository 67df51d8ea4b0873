// TwoFactorRescueForm: the rescue options offered to this user, nothing else (FST §2.4).
import { describe, expect, it } from 'vitest';
import { TwoFactorRescueForm } from './two-factor-rescue.js';

const form = new TwoFactorRescueForm({ choices: ['help', 'email', 'recovery_code'] });

describe('TwoFactorRescueForm', () => {
  it('labels its choices', () => {
    expect(form.fields[0]).toMatchObject({ name: 'help_setup', kind: 'radio', label: 'LABEL_RESCUE' });
    expect(form.fields[0]?.choices).toEqual([
      { value: 'help', label: 'LABEL_RESCUE_HELP' },
      { value: 'email', label: 'LABEL_RESCUE_EMAIL' },
      { value: 'recovery_code', label: 'LABEL_RESCUE_RECOVERY_CODE' },
    ]);
  });

  it('accepts an offered option', () => {
    expect(form.validate({ help_setup: 'recovery_code' })).toEqual({ ok: true, value: { helpSetup: 'recovery_code' } });
    expect(form.validate(new URLSearchParams('help_setup=help'))).toEqual({ ok: true, value: { helpSetup: 'help' } });
  });

  it('refuses missing, unoffered and pre-5.0 values with NOT_A_VALID_CHOICE', () => {
    const helpOnly = new TwoFactorRescueForm({ choices: ['help'] });
    expect(helpOnly.validate({ help_setup: 'email' })).toEqual({ ok: false, errors: { help_setup: ['NOT_A_VALID_CHOICE'] } });
    for (const data of [{}, { help_setup: '' }, { help_setup: 'lost_device' }, { help_setup: 'no_mail_access' }]) {
      expect(form.validate(data)).toEqual({ ok: false, errors: { help_setup: ['NOT_A_VALID_CHOICE'] } });
    }
  });

  it('refuses a wrong type with API_ERROR', () => {
    expect(form.validate({ help_setup: ['help'] })).toEqual({ ok: false, errors: { help_setup: ['API_ERROR'] } });
  });

  it('checks its constructor options', () => {
    expect(() => new TwoFactorRescueForm({ choices: [1] as unknown as string[] })).toThrow(TypeError);
  });
});
