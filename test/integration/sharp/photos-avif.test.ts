import { photoCases } from './photo-cases.js';

photoCases('avif');
