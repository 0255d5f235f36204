// Renderer entry: i18n first, then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index';
import { App } from './app/App';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
