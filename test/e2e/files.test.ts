/**
 * Files, with two people on two server instances that share one Redis: an image and a PDF sent
 * by one are shown to the other, the image as a thumbnail that opens full size, the PDF as a
 * download that is never shown inline.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  composer,
  expectHidden,
  expectVisible,
  messageLog,
  screenshot,
  signedInOn,
} from './chat-page.js';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

describe('files across two instances', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  const user = (name: string, instance: 0 | 1) => signedInOn(suite, name, instance);

  it('sends an image and a PDF; the other side opens the image and downloads the PDF', async () => {
    const mary = await user('Mary', 0);
    const joe = await user('Joe', 1);
    const photo = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: '#2f9e44' },
    })
      .jpeg()
      .toBuffer();

    // Mary picks both with the attach button's file input; each uploads at once.
    await mary.getByLabel('Files to attach').setInputFiles([
      { name: 'garden.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'minutes.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    const tray = mary.getByRole('list', { name: 'Files for the next message' });
    await expectVisible(tray.getByText('minutes.pdf'));
    await expect
      .poll(() => tray.getByText('Uploading…').count(), { timeout: UI_TIMEOUT_MS })
      .toBe(0);
    await expectAccessible(mary, 'the files waiting for a message');
    await composer(mary).fill('Photos and minutes');
    await composer(mary).press('Enter');
    await expectHidden(tray);

    // Joe, on the other instance: the thumbnail (a WebP from the server) and the PDF's link.
    const message = messageLog(joe).locator('.bubble').filter({ hasText: 'Photos and minutes' });
    const open = message.getByRole('button', { name: 'Open image garden.jpg' });
    await expectVisible(open);
    const thumbnail = open.locator('img');
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(320);
    const pdfLink = message.getByRole('link', { name: /minutes\.pdf/ });
    await expectVisible(pdfLink);
    await expectAccessible(joe, 'a message with an image and a PDF');
    await screenshot(joe, 'files.png');

    // The image opens full size in the viewer, and Escape closes it.
    await open.click();
    const viewer = joe.getByRole('dialog', { name: 'garden.jpg' });
    await expectVisible(viewer);
    await expect
      .poll(
        () =>
          viewer
            .getByRole('img', { name: 'garden.jpg' })
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
        { timeout: UI_TIMEOUT_MS },
      )
      .toBe(1200);
    await expectAccessible(joe, 'the image viewer');
    await joe.keyboard.press('Escape');
    await expectHidden(viewer);

    // The PDF is a download: its own type, never inline, nothing runs.
    const href = await pdfLink.getAttribute('href');
    expect(await pdfLink.getAttribute('download')).toBe('minutes.pdf');
    const answer = await joe.request.get(new URL(href!, joe.url()).href);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toBe('application/pdf');
    expect(answer.headers()['content-disposition']).toMatch(/^attachment; filename="minutes.pdf"/);
    expect(answer.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await answer.body()).equals(PDF)).toBe(true);
  });
});
