/** This device's notification choices (desktop, sound, the offer answered), kept in localStorage. */

export interface DeviceSettings {
  desktop: boolean;
  sound: boolean;
  /** The user accepted or declined the offer to turn notifications on. */
  offerAnswered: boolean;
}

const DEFAULTS: DeviceSettings = { desktop: true, sound: false, offerAnswered: false };

export interface DeviceSettingsStore {
  read(): DeviceSettings;
  write(change: Partial<DeviceSettings>): void;
}

export function localDeviceSettings(
  userId: string,
  storage: Storage = localStorage,
): DeviceSettingsStore {
  const key = `redis-chat:user:${userId}:notifications`;
  const read = (): DeviceSettings => {
    try {
      const stored: unknown = JSON.parse(storage.getItem(key) ?? '{}');
      if (typeof stored !== 'object' || stored === null) return DEFAULTS;
      const value = stored as Partial<Record<keyof DeviceSettings, unknown>>;
      return {
        desktop: typeof value.desktop === 'boolean' ? value.desktop : DEFAULTS.desktop,
        sound: typeof value.sound === 'boolean' ? value.sound : DEFAULTS.sound,
        offerAnswered:
          typeof value.offerAnswered === 'boolean' ? value.offerAnswered : DEFAULTS.offerAnswered,
      };
    } catch {
      return DEFAULTS;
    }
  };
  return {
    read,
    write(change) {
      storage.setItem(key, JSON.stringify({ ...read(), ...change }));
    },
  };
}
