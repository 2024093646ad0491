import { photoCases } from './photo-cases.js';

photoCases('jpeg');
