/** A drag handle that resizes a panel by setting a CSS variable on the root. */
import type { PointerEvent } from 'react';

export function Splitter({ cssVar, axis, min, max, invert }: { cssVar: string; axis: 'x' | 'y'; min: number; max: number; invert?: boolean }) {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const root = document.documentElement;
    const start = axis === 'x' ? e.clientX : e.clientY;
    // the panel's size as laid out (the variable may hold a viewport-relative default such as clamp(...))
    const panel = (invert ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling) as HTMLElement | null;
    const box = panel?.getBoundingClientRect();
    const initial = box ? (axis === 'x' ? box.width : box.height) : parseFloat(getComputedStyle(root).getPropertyValue(cssVar)) || 0;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (m: globalThis.PointerEvent) => {
      const delta = (axis === 'x' ? m.clientX : m.clientY) - start;
      const size = Math.min(max, Math.max(min, initial + (invert ? -delta : delta)));
      root.style.setProperty(cssVar, `${size}px`);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return <div className={`splitter splitter-${axis}`} role="separator" aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'} onPointerDown={onPointerDown} />;
}
