/**
 * Group rooms, typing indicators, unread counts and read markers, edits and deletes, and mentions,
 * with two people on two server instances that share one Redis: everything one of them does
 * reaches the other through the other instance.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  bubble,
  composer,
  expectHidden,
  expectShownOnce,
  expectVisible,
  messageLog,
  roomButton,
  screenshot,
  send,
  signedInOn,
} from './chat-page.js';

/** Long enough for a typing notice to expire (5 s after the last keystroke) and be cleared. */
const TYPING_EXPIRY_MS = 9_000;

describe('chat features across two instances', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  /** Signs `name` in on instance `instance` (0 or 1) in a browser context of their own. */
  const user = (name: string, instance: 0 | 1) => signedInOn(suite, name, instance);

  const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 1 });

  async function createRoom(
    page: Page,
    name: string,
    visibility: 'Public' | 'Private',
    { checkAccessibility = false } = {},
  ) {
    await page.getByRole('button', { name: 'New room' }).click();
    const dialog = page.getByRole('dialog', { name: 'New room' });
    if (checkAccessibility) {
      await expectVisible(dialog);
      await expectAccessible(page, 'the New room dialog');
    }
    await dialog.getByLabel('Room name').fill(name);
    await dialog.getByRole('radio', { name: new RegExp(`^${visibility}`) }).check();
    await dialog.getByRole('button', { name: 'Create room' }).click();
    return dialog;
  }

  async function browse(page: Page, search: string) {
    await page.getByRole('button', { name: 'Browse rooms' }).click();
    const dialog = page.getByRole('dialog', { name: 'Browse rooms' });
    await dialog.getByRole('searchbox', { name: 'Search rooms' }).fill(search);
    return dialog;
  }

  it('creates, finds, joins, invites to and leaves group rooms', async () => {
    // The second "design" is refused with 409, which Chrome logs: that is the point.
    suite.guard.expect({ reason: 'duplicate room name', text: /status of 409/, url: /\/rooms$/ });
    const mary = await user('Mary', 0);
    const pablo = await user('Pablo', 1);

    // Mary creates a public room and lands in it.
    const created = await createRoom(mary, 'Design', 'Public', { checkAccessibility: true });
    await expectHidden(created);
    await expectVisible(heading(mary, 'Design'));
    await expectVisible(roomButton(mary, 'Design'));

    // Pablo, on the other instance, finds it by part of its name and joins.
    const directory = await browse(pablo, 'desi');
    await expectVisible(directory.getByRole('button', { name: 'Join Design' }));
    await expectAccessible(pablo, 'the room directory');
    await directory.getByRole('button', { name: 'Join Design' }).click();
    await expectVisible(heading(pablo, 'Design'));
    await expectVisible(roomButton(pablo, 'Design'));
    await expectVisible(mary.getByText('Public room · 2 members'));

    await send(pablo, 'Hello designers');
    await expectShownOnce(mary, 'Hello designers');
    await expectShownOnce(pablo, 'Hello designers');

    // Names are unique ignoring case, and the refusal says so where it was typed.
    const duplicate = await createRoom(pablo, 'design', 'Public');
    await expectVisible(duplicate.getByRole('alert').getByText(/already exists/));
    await duplicate.getByRole('button', { name: 'Cancel' }).click();

    // The members list shows both.
    await mary.getByRole('button', { name: 'Room members' }).click();
    const members = mary.getByRole('dialog', { name: 'Members of Design' });
    const memberList = members.getByRole('list', { name: 'Members' });
    await expectVisible(memberList.getByText('Pablo'));
    await expectVisible(memberList.getByText('Mary'));
    await expectAccessible(mary, 'the members dialog');
    await mary.keyboard.press('Escape');
    await expectHidden(members);

    // A private room: invisible in the directory, reachable by invitation only.
    await createRoom(mary, 'Secret plans', 'Private');
    await expectVisible(heading(mary, 'Secret plans'));
    const hidden = await browse(pablo, 'Secret');
    await expectVisible(hidden.getByText(/No public room matches/));
    await pablo.keyboard.press('Escape');
    expect(await roomButton(pablo, 'Secret plans').count()).toBe(0);

    await mary.getByRole('button', { name: 'Invite people' }).click();
    const invite = mary.getByRole('dialog', { name: 'Invite to Secret plans' });
    await invite.getByLabel('Username').fill('Pablo');
    await invite.getByRole('button', { name: 'Invite', exact: true }).click();
    await expectVisible(invite.getByRole('status').getByText(/Pablo was added/));
    await expectAccessible(mary, 'the invite dialog');
    await mary.keyboard.press('Escape');

    // The invitation reaches Pablo's open page live, on the other instance.
    await expectVisible(roomButton(pablo, 'Secret plans'));
    await roomButton(pablo, 'Secret plans').click();
    await expectVisible(heading(pablo, 'Secret plans'));
    await send(mary, 'Only the two of us here');
    await expectShownOnce(pablo, 'Only the two of us here');
    await screenshot(pablo, 'group-rooms.png');

    // Pablo leaves Design: it goes from his list, and Mary sees one member left.
    await roomButton(pablo, 'Design').click();
    await expectVisible(heading(pablo, 'Design'));
    await pablo.getByRole('button', { name: 'Leave room' }).click();
    const leave = pablo.getByRole('alertdialog', { name: 'Leave Design?' });
    await expectVisible(leave);
    await expectAccessible(pablo, 'the Leave room confirmation');
    await leave.getByRole('button', { name: 'Leave' }).click();
    await expectHidden(roomButton(pablo, 'Design'));
    await roomButton(mary, 'Design').click();
    await expectVisible(mary.getByText('Public room · 1 member'));
  });

  it('shows who is typing, and edits and deletes messages live and in history', async () => {
    const mary = await user('Mary', 0);
    const pablo = await user('Pablo', 1);
    const typing = pablo.locator('.typing-indicator');

    // Typing shows on the other side and clears when the message is sent.
    // At a person's pace (3 s), so a start is renewed as it would be in real use.
    await composer(mary).pressSequentially('Meet at 10', { delay: 300 });
    await expectVisible(typing.getByText('Mary is typing…'));
    await composer(mary).press('Enter');
    await expectShownOnce(pablo, 'Meet at 10');
    await expectHidden(typing.getByText('Mary is typing…'));

    // Typing that stops without a send clears by itself.
    await composer(mary).pressSequentially('hmm');
    await expectVisible(typing.getByText('Mary is typing…'));
    await expectHidden(typing.getByText('Mary is typing…'), TYPING_EXPIRY_MS);
    await composer(mary).fill('');

    // Only the author has the actions.
    expect(
      await bubble(pablo, 'Meet at 10').getByRole('button', { name: 'Edit message' }).count(),
    ).toBe(0);

    // Mary edits her message: Pablo sees the new text, marked edited.
    const mine = bubble(mary, 'Meet at 10');
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit message' }).click();
    const editor = messageLog(mary).getByRole('textbox', { name: 'Edit message' });
    await expectAccessible(mary, 'a message being edited');
    await editor.fill('Meet at 11');
    await editor.press('Enter');
    await expectShownOnce(pablo, 'Meet at 11');
    expect(await bubble(pablo, 'Meet at 10').count()).toBe(0);
    await expectVisible(bubble(pablo, 'Meet at 11').getByText('(edited)'));

    // Then deletes it: it becomes "Message deleted" for everyone, live.
    const edited = bubble(mary, 'Meet at 11');
    await edited.hover();
    await edited.getByRole('button', { name: 'Delete message' }).click();
    const confirmDelete = mary.getByRole('alertdialog', { name: 'Delete message?' });
    await expectVisible(confirmDelete);
    await expectAccessible(mary, 'the Delete message confirmation');
    await confirmDelete.getByRole('button', { name: 'Delete' }).click();
    await expect
      .poll(() => messageLog(pablo).getByText('Meet at 11').count(), { timeout: UI_TIMEOUT_MS })
      .toBe(0);
    const deleted = messageLog(pablo).locator('.bubble__text--deleted');
    await expectVisible(deleted.last());
    expect(await deleted.last().textContent()).toBe('Message deleted');

    // History says the same after a reload.
    await pablo.reload();
    await expectVisible(messageLog(pablo).locator('.bubble__text--deleted').last());
    expect(await messageLog(pablo).getByText('Meet at 11').count()).toBe(0);
    expect(await messageLog(pablo).getByText('Meet at 10').count()).toBe(0);
  });

  it('counts unread messages and mentions the same on every tab, and clears them on reading', async () => {
    const mary = await user('Mary', 0);
    // Pablo has one tab on each instance (one browser, one session).
    const pabloHere = await user('Pablo', 0);
    const pabloThere = await pabloHere.context().newPage();
    suite.guard.watch(pabloThere, 'Pablo@1, second tab');
    await pabloThere.goto(suite.servers[1]!.url);
    await messageLog(pabloThere).waitFor({ timeout: UI_TIMEOUT_MS });

    // Both tabs read General, then look at the private room with Mary.
    for (const tab of [pabloHere, pabloThere]) {
      await roomButton(tab, 'General').click();
      await expectVisible(heading(tab, 'General'));
    }
    for (const tab of [pabloHere, pabloThere]) {
      await roomButton(tab, 'Mary').click();
      await expectVisible(heading(tab, 'Mary'));
    }

    // Mary writes in General: once plainly, once naming Pablo through the @-suggestions.
    await send(mary, 'coffee anyone?');
    await composer(mary).pressSequentially('@Pa');
    const suggestions = mary.getByRole('listbox', { name: 'Mention suggestions' });
    await expectVisible(suggestions);
    await expectAccessible(mary, 'the mention suggestions');
    await suggestions.getByRole('option', { name: 'Pablo', exact: true }).click();
    expect(await composer(mary).inputValue()).toBe('@Pablo ');
    await composer(mary).pressSequentially('are you in?');
    await composer(mary).press('Enter');
    await expectShownOnce(mary, '@Pablo are you in?');

    // Both of Pablo's tabs count two unread and one mention in General.
    for (const tab of [pabloHere, pabloThere]) {
      const general = roomButton(tab, 'General');
      await expectVisible(general.getByText('2 unread'));
      await expectVisible(general.getByText('1 mention'));
    }
    // The counts come from the server: a reload (which stays in the room the address names)
    // shows them again.
    await pabloThere.reload();
    await expectVisible(heading(pabloThere, 'Mary'));
    await expectVisible(roomButton(pabloThere, 'General').getByText('2 unread'));
    await expectVisible(roomButton(pabloThere, 'General').getByText('1 mention'));
    await screenshot(pabloThere, 'unread-and-mentions.png');

    // Reading General on one tab clears it on the other (other instance) too.
    await roomButton(pabloHere, 'General').click();
    const mention = bubble(pabloHere, '@Pablo are you in?');
    await expectVisible(mention.getByText('Mentions you'));
    expect(await mention.evaluate((element) => element.classList.contains('bubble--mention'))).toBe(
      true,
    );
    const elsewhere = roomButton(pabloThere, 'General');
    await expectHidden(elsewhere.getByText(/unread/));
    await expectHidden(elsewhere.getByText(/mention/));
  });
});
