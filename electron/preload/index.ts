// The sandboxed preload (bundled to out/preload/index.cjs): exposes window.archive and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildArchiveApi } from './build-api';

contextBridge.exposeInMainWorld('archive', buildArchiveApi(ipcRenderer));
