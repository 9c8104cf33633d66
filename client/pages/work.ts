/** The operator workstation's page (views/work/index.hbs). */
import { startNotices } from '../work/notices';
import { startScreenPop } from '../work/screen-pop';
import { startWorkstation } from '../work/workstation';

startWorkstation();
startNotices();
startScreenPop();
