export { SfnServiceError } from './errors.js';
export { FAULT_SERVICE } from './handler.js';
export {
  createStepFunctionsService,
  type ExecutionDescription,
  type StepFunctionsService,
  type StepFunctionsServiceOptions,
} from './service.js';
