/** A user with several second factors picks the one to use now: `select` → `validate`, its code sent. */
import { randomId } from '../crypto/random.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';
import { sendLoginCode, type LoginOutcome, type ValidatingLogin } from './password.js';
import type { LoginState } from './state.js';

type SelectingLogin = LoginState & { readonly kind: 'select' };

/** The methods to choose from: those offered at the password step that the user still has (checklist MGT-07). */
export async function offeredMethods(context: FlowContext, user: User, login: SelectingLogin): Promise<string[]> {
  return (await context.security.getTfMethods(user)).filter((method) => login.methods.includes(method));
}

/** Moves the login to `which` (one of {@link offeredMethods}, as the form checked) and sends its code. */
export async function selectMethod(context: FlowContext, user: User, login: SelectingLogin, which: string): Promise<LoginOutcome> {
  // The select state's own field (`methods`) does not travel into the validate state.
  const { methods: _offered, ...base } = login;
  const next: ValidatingLogin = { ...base, kind: 'validate', method: which, challenge: randomId(context.security.random), problem: null };
  context.session.update({ tf: { kind: 'login', login: next } });
  return sendLoginCode(context, user, next);
}
