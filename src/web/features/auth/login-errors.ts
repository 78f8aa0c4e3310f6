/** What the sign-in screen says for each refusal: the server's sentence, framed for people. */
import { ApiError } from '../../core/transport/index.js';

function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function loginErrorMessage(error: unknown, username: string): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return `Wrong password for “${username}”. If you are new here, that name is taken: choose another one.`;
    case 'rate_limited':
      return error.retryAfterS
        ? `Too many failed sign-ins. Try again in ${inWords(error.retryAfterS)}.`
        : `Too many failed sign-ins. ${sentence(error.message)}`;
    case 'bad_request':
      return `${sentence(error.message)}.`.replace(/\.\.$/, '.');
    case 'network':
      return error.message;
    case 'unavailable':
      return 'The chat is unavailable right now. Please try again in a moment.';
    default:
      return sentence(error.message);
  }
}

/** What the account menu's dialogs say for a refusal of a password change or sign-out. */
export function accountErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'The current password is not right.';
    case 'rate_limited':
      return error.retryAfterS
        ? `Too many attempts. Try again in ${inWords(error.retryAfterS)}.`
        : `Too many attempts. ${sentence(error.message)}`;
    case 'bad_request':
      return `${sentence(error.message)}.`.replace(/\.\.$/, '.');
    case 'network':
      return error.message;
    case 'unavailable':
      return 'The chat is unavailable right now. Please try again in a moment.';
    default:
      return sentence(error.message);
  }
}
