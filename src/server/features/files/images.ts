/**
 * Images with sharp (libvips, prebuilt for each platform, no install script): only PNG, JPEG,
 * GIF and WebP are looked at, recognized by their first bytes before sharp sees them, so an SVG
 * or a PDF is never handed to a decoder. Decoding is bounded (pixels), and a thumbnail is a
 * WebP that fits in THUMBNAIL_MAX_PX, its first frame only, without the original's metadata.
 */
import sharp from 'sharp';
import { THUMBNAIL_MAX_PX } from '../../../protocol/files.js';
import type { ImageInfo, Images } from './ports.js';

/** Larger images are stored as files but not shown inline (decoding them costs too much). */
const MAX_INPUT_PIXELS = 50_000_000;

/** The inline type of some bytes, by their signature; null for anything else. */
export function sniffImageType(bytes: Buffer): string | null {
  const starts = (signature: number[], at = 0) =>
    bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export const sharpImages: Images = {
  async inspect(bytes: Buffer): Promise<ImageInfo | null> {
    const type = sniffImageType(bytes);
    if (!type) return null;
    try {
      const { width, height } = await sharp(bytes, {
        limitInputPixels: MAX_INPUT_PIXELS,
      }).metadata();
      return width && height ? { type, width, height } : null;
    } catch {
      return null; // damaged, or too large: a plain file then
    }
  },
  thumbnail: (bytes: Buffer) =>
    sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate() // as the camera held it (EXIF orientation), before the metadata goes
      .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer(),
};
