/** The few icons the client uses, inline so nothing is downloaded. Decorative: aria-hidden. */
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

const base = (props: IconProps) => ({
  width: 20,
  height: 20,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false,
  ...props,
});

export const SendIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M4 12 20 4l-6 16-3-7z" />
    <path d="m11 13 9-9" />
  </svg>
);

export const MenuIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M4 6h16M4 12h16M4 18h16" />
  </svg>
);

export const CloseIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M6 6l12 12M18 6 6 18" />
  </svg>
);

export const LogoutIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3" />
    <path d="M10 17l-5-5 5-5M5 12h11" />
  </svg>
);

export const ClockIcon = (props: IconProps) => (
  <svg {...base({ width: 12, height: 12, ...props })}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </svg>
);

export const CheckIcon = (props: IconProps) => (
  <svg {...base({ width: 14, height: 14, ...props })}>
    <path d="m5 12 5 5 9-10" />
  </svg>
);

export const AlertIcon = (props: IconProps) => (
  <svg {...base({ width: 14, height: 14, ...props })}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v6M12 16.5v.5" />
  </svg>
);

export const ArrowDownIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M12 5v14M6 13l6 6 6-6" />
  </svg>
);

export const PlusIcon = (props: IconProps) => (
  <svg {...base({ width: 18, height: 18, ...props })}>
    <path d="M12 5v14M5 12h14" />
  </svg>
);

export const PaperclipIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="m21 11-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" />
  </svg>
);

export const SearchIcon = (props: IconProps) => (
  <svg {...base({ width: 18, height: 18, ...props })}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m16 16 4 4" />
  </svg>
);

export const PeopleIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M3 19c.8-3.3 3.2-5 6-5s5.2 1.7 6 5" />
    <path d="M15.5 4.8a3.5 3.5 0 0 1 0 6.4M17.5 14.2c1.7.7 3 2.3 3.5 4.8" />
  </svg>
);

export const AddPersonIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <circle cx="10" cy="8" r="3.5" />
    <path d="M3 19c.8-3.3 3.5-5 7-5 1.3 0 2.5.2 3.5.7M18 13v6M15 16h6" />
  </svg>
);

export const LeaveIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M14 4H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h7" />
    <path d="m16 8 4 4-4 4M20 12H10" />
  </svg>
);

export const LockIcon = (props: IconProps) => (
  <svg {...base({ width: 16, height: 16, ...props })}>
    <rect x="5" y="11" width="14" height="9" rx="2" />
    <path d="M8 11V8a4 4 0 0 1 8 0v3" />
  </svg>
);

export const PencilIcon = (props: IconProps) => (
  <svg {...base({ width: 16, height: 16, ...props })}>
    <path d="M4 20h4L19 9l-4-4L4 16z" />
    <path d="m13.5 6.5 4 4" />
  </svg>
);

export const TrashIcon = (props: IconProps) => (
  <svg {...base({ width: 16, height: 16, ...props })}>
    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />
  </svg>
);

export const BellIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
    <path d="M10 21h4" />
  </svg>
);

/** A struck-through bell: a muted room. */
export const BellOffIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
    <path d="M10 21h4" />
    <path d="M4 4l16 16" />
  </svg>
);

/** A "T" over a line: text formatting. */
export const TextFormatIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M6 5h12M12 5v11M7 20h10" />
  </svg>
);

/** Two sliders: settings. */
export const AccountIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21a8 8 0 0 1 16 0" />
  </svg>
);

export const SettingsIcon = (props: IconProps) => (
  <svg {...base(props)}>
    <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
    <circle cx="15" cy="7" r="2" />
    <circle cx="9" cy="17" r="2" />
  </svg>
);

export const SmileIcon = (props: IconProps) => (
  <svg {...base({ width: 16, height: 16, ...props })}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
  </svg>
);

export const ReplyIcon = (props: IconProps) => (
  <svg {...base({ width: 16, height: 16, ...props })}>
    <path d="M9 14 4 9l5-5" />
    <path d="M4 9h10a6 6 0 0 1 6 6v5" />
  </svg>
);
