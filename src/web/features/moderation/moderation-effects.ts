/** What an administrator does from the web client: ban a user, through the contract's route. */
import type { Transport } from '../../core/transport/index.js';

export class ModerationEffects {
  constructor(private readonly transport: Transport) {}

  /** Rejects with the server's reason (not an administrator, the target administers too…). */
  async ban(userId: string): Promise<void> {
    await this.transport.api.banUser(userId);
  }
}
