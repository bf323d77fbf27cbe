import { scan } from 'reprint';
import fs from 'fs';
const t = fs.readFileSync('/work/main/test/fixtures/menafn-doubled.txt','utf8');
const r = await scan([{id:'menafn', text:t}]);
console.log(JSON.stringify(r.passages), r.totals);
