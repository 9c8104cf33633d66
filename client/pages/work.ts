/** The operator workstation's page (views/work/index.hbs). */
import { startDayFigures } from '../work/day-figures';
import { startFindContact } from '../work/find-contact';
import { startNotices } from '../work/notices';
import { startScreenPop } from '../work/screen-pop';
import { startWorkstation } from '../work/workstation';

startWorkstation();
startFindContact();
startDayFigures();
startNotices();
startScreenPop();
