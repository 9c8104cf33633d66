import type { Provider } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service';
import { PhoneNumbers } from '../common/phone/phone-number';

/** One phone normaliser for the app, reading national numbers in DEFAULT_PHONE_COUNTRY. */
export const phoneNumbersProvider: Provider = {
  provide: PhoneNumbers,
  inject: [AppConfigService],
  useFactory: (config: AppConfigService) => new PhoneNumbers(config.get('DEFAULT_PHONE_COUNTRY')),
};
