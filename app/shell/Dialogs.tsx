/** The one modal at a time: gallery, share link, a name prompt or a confirmation. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { GalleryDialog } from '../gallery/GalleryDialog';
import { SHARE_LINK_VERSION } from '../workspace/shareLink';
import { Icon } from '../theme/icons';
import { useServices, useUi } from './hooks';
import type { InputDialog } from './uiStore';

export function Dialogs() {
  const services = useServices();
  const dialog = useUi((u) => u.dialog);
  if (!dialog) return null;
  const close = () => services.ui.getState().openDialog(null);
  switch (dialog.kind) {
    case 'gallery':
      return (
        <Modal title="Examples" onClose={close} wide>
          <GalleryDialog />
        </Modal>
      );
    case 'share':
      return (
        <Modal title="Share link" onClose={close}>
          <p className="muted">This link contains the whole workspace (compressed). Anyone who opens it gets these files; nothing is stored on a server.</p>
          <input className="text-input mono" readOnly value={dialog.url} data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
          <p className="muted small">
            {dialog.url.length.toLocaleString('en-US')} characters · link format v{SHARE_LINK_VERSION}, which later versions of the app keep opening
          </p>
          <div className="dialog-buttons">
            <button className="button" onClick={() => void navigator.clipboard?.writeText(dialog.url)}>
              Copy
            </button>
            <button className="button primary" onClick={close}>
              Done
            </button>
          </div>
        </Modal>
      );
    case 'input':
      return <InputModal input={dialog.input} onClose={close} />;
    case 'confirm':
      return (
        <Modal title="Confirm" onClose={close}>
          <p>{dialog.text}</p>
          <div className="dialog-buttons">
            <button className="button" onClick={close}>
              Cancel
            </button>
            <button
              className="button danger"
              autoFocus
              onClick={() => {
                close();
                dialog.onConfirm();
              }}
            >
              {dialog.confirmLabel}
            </button>
          </div>
        </Modal>
      );
  }
}

function InputModal({ input, onClose }: { input: InputDialog; onClose: () => void }) {
  const [value, setValue] = useState(input.initial);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    const dot = input.initial.lastIndexOf('.');
    el.setSelectionRange(0, dot > 0 ? dot : input.initial.length);
  }, [input]);
  const submit = () => {
    const err = input.submit(value);
    if (err) setError(err);
    else onClose();
  };
  return (
    <Modal title={input.title} onClose={onClose}>
      <label className="field">
        <span>{input.label}</span>
        <input
          ref={ref}
          className="text-input"
          value={value}
          data-testid="input-dialog-value"
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => e.key === 'Enter' && submit()}
        />
      </label>
      {error && <p className="field-error">{error}</p>}
      <div className="dialog-buttons">
        <button className="button" onClick={onClose}>
          Cancel
        </button>
        <button className="button primary" onClick={submit}>
          {input.submitLabel}
        </button>
      </div>
    </Modal>
  );
}

function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <div className="overlay" onMouseDown={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-label={title} onMouseDown={(e) => e.stopPropagation()}>
        <div className="dialog-header">
          <h2>{title}</h2>
          <button className="icon-button" aria-label="Close" onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
