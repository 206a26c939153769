import { makeUscc, organizationCodeBodyFromNumber } from '../reference/testing.js';

/**
 * Demo enterprise profiles for policy matching: realistic and varied (many provinces, weighted to
 * where the demo policies apply; real GB/T 4754 classes; micro to large; some loss-making, some
 * untrustworthy, some young), and deterministic: the same count and seed always give the same
 * profiles, so the demo, its tests and benchmarks agree. Each optional fact is missing for a share
 * of the profiles, as on a real platform where not every authority has reported, so that matching
 * shows "undetermined" and asks.
 *
 * Everything needed is in the tables below (no reference index is loaded), so 2,000 profiles take
 * a few milliseconds.
 */

export type DemoEntityType = 'enterprise' | 'individualBusiness' | 'publicInstitution' | 'socialOrganization' | 'farmerCooperative';

export interface DemoEnterpriseFacts {
  region: string;
  industry: string;
  entityType: DemoEntityType;
  establishedOn?: string;
  employees?: number;
  insuredEmployees?: number;
  /** Yuan, at most two decimals, as every amount here. */
  operatingRevenue?: number;
  totalAssets?: number;
  taxableIncome?: number;
  taxpayerType?: 'general' | 'smallScale';
  taxCreditRating?: 'A' | 'B' | 'M' | 'C' | 'D';
  qualifications: string[];
  /** Percent of staff laid off last year. */
  layoffRate?: number;
  /** Yuan paid by the employer and its staff last year. */
  unemploymentInsurancePaid?: number;
  untrustworthy?: boolean;
}

export interface DemoEnterpriseProfile {
  uscc: string;
  name: string;
  facts: DemoEnterpriseFacts;
}

/** The day the demo profiles describe: nothing is established after it. */
export const DEMO_PROFILES_AS_OF = '2026-11-20';
const DEFAULT_SEED = 20_261_126;
/** Organisation code numbers start here, clear of those seed.ts uses for its three enterprises. */
const ORGANIZATION_CODE_BASE = 12_000_000;

/** A small, fast, seedable generator (mulberry32); Math.random would make the demo differ each run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Draw {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
  integer(low: number, high: number): number {
    return Math.floor(this.between(low, high + 1));
  }
  /** Log-uniform: as many firms of 2-20 staff as of 20-200. */
  logBetween(low: number, high: number): number {
    return Math.exp(this.between(Math.log(low), Math.log(high)));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  weighted<T>(list: readonly (readonly [T, number])[]): T {
    const total = list.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [value, weight] of list) {
      point -= weight;
      if (point < 0) return value;
    }
    return list[list.length - 1]![0];
  }
}

const yuan = (amount: number): number => Math.round(amount * 100) / 100;

// Where enterprises are: cities (short name for company names) with counties (name for shop names)

interface City {
  city: string;
  weight: number;
  counties: readonly (readonly [code: string, name: string, weight: number])[];
}

const CITIES: readonly City[] = [
  {
    city: '上海',
    weight: 22,
    counties: [
      ['310101', '黄浦区', 2], ['310104', '徐汇区', 2], ['310105', '长宁区', 1.5], ['310106', '静安区', 2], ['310107', '普陀区', 1.5], ['310109', '虹口区', 1],
      ['310110', '杨浦区', 1.5], ['310112', '闵行区', 2.5], ['310113', '宝山区', 1.5], ['310114', '嘉定区', 1.5], ['310115', '浦东新区', 5], ['310116', '金山区', 0.5],
      ['310117', '松江区', 1.5], ['310118', '青浦区', 1], ['310120', '奉贤区', 1], ['310151', '崇明区', 0.5],
    ],
  },
  {
    city: '杭州',
    weight: 9,
    counties: [['330102', '上城区', 1], ['330105', '拱墅区', 1], ['330106', '西湖区', 4], ['330108', '滨江区', 2], ['330109', '萧山区', 1.5], ['330110', '余杭区', 2], ['330114', '钱塘区', 0.5], ['330127', '淳安县', 0.6], ['330182', '建德市', 0.3]],
  },
  { city: '宁波', weight: 2.5, counties: [['330203', '海曙区', 1], ['330206', '北仑区', 1], ['330212', '鄞州区', 1.5], ['330282', '慈溪市', 1]] },
  {
    city: '温州',
    weight: 2,
    counties: [['330302', '鹿城区', 1], ['330324', '永嘉县', 1], ['330326', '平阳县', 0.7], ['330327', '苍南县', 0.7], ['330328', '文成县', 0.5], ['330329', '泰顺县', 0.5], ['330382', '乐清市', 1]],
  },
  { city: '金华', weight: 2, counties: [['330782', '义乌市', 2], ['330783', '东阳市', 0.5], ['330723', '武义县', 0.5], ['330727', '磐安县', 0.4], ['330784', '永康市', 0.6]] },
  { city: '深圳', weight: 7, counties: [['440303', '罗湖区', 1], ['440304', '福田区', 1.5], ['440305', '南山区', 2], ['440306', '宝安区', 2], ['440307', '龙岗区', 1.5], ['440309', '龙华区', 1], ['440311', '光明区', 0.5]] },
  { city: '广州', weight: 4.5, counties: [['440103', '荔湾区', 1], ['440104', '越秀区', 1], ['440106', '天河区', 2], ['440111', '白云区', 1], ['440112', '黄埔区', 1], ['440113', '番禺区', 1]] },
  { city: '东莞', weight: 1.5, counties: [['441900', '', 1]] },
  { city: '佛山', weight: 1.5, counties: [['440604', '禅城区', 1], ['440605', '南海区', 1], ['440606', '顺德区', 1.5]] },
  {
    city: '北京',
    weight: 10,
    counties: [['110101', '东城区', 1], ['110102', '西城区', 1], ['110105', '朝阳区', 3], ['110106', '丰台区', 1], ['110108', '海淀区', 3], ['110112', '通州区', 1], ['110114', '昌平区', 1], ['110115', '大兴区', 1]],
  },
  { city: '南京', weight: 3, counties: [['320102', '玄武区', 1], ['320105', '建邺区', 1], ['320106', '鼓楼区', 1], ['320115', '江宁区', 1.5]] },
  { city: '苏州', weight: 4, counties: [['320505', '虎丘区', 1], ['320508', '姑苏区', 1], ['320571', '苏州工业园区', 2], ['320583', '昆山市', 2]] },
  { city: '成都', weight: 5, counties: [['510104', '锦江区', 1], ['510105', '青羊区', 1], ['510107', '武侯区', 2], ['510108', '成华区', 1], ['510116', '双流区', 1], ['510121', '金堂县', 0.5]] },
  { city: '武汉', weight: 5, counties: [['420102', '江岸区', 1], ['420103', '江汉区', 1], ['420105', '汉阳区', 1], ['420106', '武昌区', 2], ['420111', '洪山区', 2]] },
  { city: '青岛', weight: 1.5, counties: [['370202', '市南区', 1], ['370211', '黄岛区', 1], ['370212', '崂山区', 1]] },
  { city: '厦门', weight: 1.5, counties: [['350203', '思明区', 1], ['350206', '湖里区', 1], ['350211', '集美区', 1]] },
  { city: '重庆', weight: 2.5, counties: [['500103', '渝中区', 1], ['500105', '江北区', 1], ['500106', '沙坪坝区', 1], ['500107', '九龙坡区', 1], ['500112', '渝北区', 2]] },
  { city: '郑州', weight: 1.5, counties: [['410102', '中原区', 1], ['410105', '金水区', 2]] },
  { city: '长沙', weight: 1.5, counties: [['430102', '芙蓉区', 1], ['430104', '岳麓区', 1], ['430111', '雨花区', 1]] },
  { city: '合肥', weight: 1.5, counties: [['340103', '庐阳区', 1], ['340104', '蜀山区', 1], ['340111', '包河区', 1]] },
  { city: '海口', weight: 0.7, counties: [['460106', '龙华区', 1], ['460108', '美兰区', 1]] },
  { city: '西安', weight: 1, counties: [['610103', '碑林区', 1], ['610112', '未央区', 1], ['610113', '雁塔区', 2]] },
  { city: '大连', weight: 0.6, counties: [['210202', '中山区', 1], ['210204', '沙河口区', 1]] },
  { city: '天津', weight: 1, counties: [['120101', '和平区', 1], ['120103', '河西区', 1], ['120116', '滨海新区', 2]] },
  { city: '昆明', weight: 0.5, counties: [['530102', '五华区', 1], ['530111', '官渡区', 1]] },
  { city: '南宁', weight: 0.5, counties: [['450103', '青秀区', 1], ['450107', '西乡塘区', 1]] },
  { city: '石家庄', weight: 0.5, counties: [['130102', '长安区', 1], ['130104', '桥西区', 1]] },
];

/** Every county the profiles use, for checks against GB/T 2260. */
export const DEMO_PROFILE_COUNTIES: readonly { code: string; name: string }[] = CITIES.flatMap((c) => c.counties.map(([code, name]) => ({ code, name })));


// What enterprises do: sectors with real GB/T 4754-2017 classes and the words their names use

interface Sector {
  key: string;
  /** Real classes, each with a word a company in it ends its name with (上海宏达**软件科技**有限公司). */
  classes: readonly (readonly [industry: string, companyWord: string])[];
  /** Classes individual businesses of the sector trade in, with their shop word (…**便利店**). */
  shops?: readonly (readonly [industry: string, shopWord: string])[];
  /** Weights among enterprises and among individual businesses. */
  enterpriseWeight: number;
  individualWeight: number;
  /** Operating revenue per employee, yuan. */
  revenuePerEmployee: readonly [number, number];
  assetsToRevenue: readonly [number, number];
  technology: boolean;
}

const SECTORS: readonly Sector[] = [
  {
    key: 'software',
    classes: [
      ['6511', '软件科技'], ['6513', '软件科技'], ['6513', '网络科技'], ['6519', '软件技术'], ['6520', '集成电路设计'], ['6531', '信息技术'], ['6532', '物联网科技'],
      ['6540', '信息技术服务'], ['6550', '数据科技'], ['6560', '信息技术咨询'], ['6572', '数字娱乐'], ['6429', '网络科技'], ['6432', '网络科技'], ['6450', '数据科技'], ['6490', '互联网科技'],
    ],
    enterpriseWeight: 12,
    individualWeight: 0,
    revenuePerEmployee: [300_000, 1_200_000],
    assetsToRevenue: [0.4, 1.2],
    technology: true,
  },
  {
    key: 'advancedManufacturing',
    classes: [
      ['3973', '半导体'], ['3976', '光电科技'], ['3981', '电子元件'], ['3982', '电子科技'], ['3983', '传感技术'], ['3922', '通信设备'], ['3912', '电脑科技'], ['3491', '机器人'],
      ['3825', '光伏科技'], ['3841', '新能源科技'], ['3872', '照明科技'], ['2720', '制药'], ['2761', '生物制药'], ['3670', '汽车零部件'], ['3484', '精密机械'], ['3441', '泵业'], ['3854', '电器'],
    ],
    enterpriseWeight: 12,
    individualWeight: 0,
    revenuePerEmployee: [400_000, 1_500_000],
    assetsToRevenue: [0.6, 1.6],
    technology: true,
  },
  {
    key: 'lightManufacturing',
    classes: [
      ['1411', '食品'], ['1432', '食品'], ['1811', '服饰'], ['1819', '服装'], ['1830', '服饰'], ['2110', '家具'], ['2927', '塑料制品'], ['2929', '塑业'],
      ['3312', '门窗'], ['3381', '厨具'], ['1512', '酒业'], ['1530', '茶业'], ['2682', '化妆品'], ['1761', '针织'],
    ],
    shops: [['1411', '糕点坊'], ['1819', '制衣坊'], ['1530', '茶叶加工坊']],
    enterpriseWeight: 8,
    individualWeight: 1,
    revenuePerEmployee: [300_000, 900_000],
    assetsToRevenue: [0.5, 1.4],
    technology: false,
  },
  {
    key: 'wholesale',
    classes: [['5132', '服装贸易'], ['5165', '建材'], ['5172', '汽车配件'], ['5174', '五金'], ['5176', '电脑科技'], ['5179', '机电设备'], ['5181', '进出口'], ['5193', '电子商务'], ['5123', '农产品'], ['5127', '酒业'], ['5199', '商贸'], ['5199', '供应链管理']],
    shops: [['5123', '果蔬批发部'], ['5127', '酒水批发部'], ['5174', '五金批发部']],
    enterpriseWeight: 9,
    individualWeight: 1,
    revenuePerEmployee: [800_000, 4_000_000],
    assetsToRevenue: [0.3, 0.9],
    technology: false,
  },
  {
    key: 'retail',
    classes: [['5211', '百货'], ['5212', '超市'], ['5213', '便利店'], ['5223', '果业'], ['5226', '酒业'], ['5232', '服饰'], ['5234', '化妆品'], ['5245', '珠宝'], ['5251', '大药房'], ['5261', '汽车销售服务'], ['5272', '电器'], ['5274', '通讯器材'], ['5281', '五金'], ['5292', '电子商务'], ['5299', '商贸']],
    shops: [['5213', '便利店'], ['5223', '水果店'], ['5226', '烟酒店'], ['5232', '服装店'], ['5234', '化妆品店'], ['5251', '药房'], ['5274', '手机店'], ['5281', '五金店'], ['5292', '网店'], ['5212', '超市']],
    enterpriseWeight: 7,
    individualWeight: 7,
    revenuePerEmployee: [300_000, 1_500_000],
    assetsToRevenue: [0.3, 0.9],
    technology: false,
  },
  {
    key: 'catering',
    classes: [['6210', '餐饮管理'], ['6210', '餐饮'], ['6220', '快餐'], ['6291', '小吃'], ['6232', '咖啡'], ['6231', '茶业'], ['6233', '酒吧'], ['6241', '餐饮配送']],
    shops: [['6210', '饭店'], ['6210', '餐馆'], ['6220', '快餐店'], ['6291', '小吃店'], ['6291', '面馆'], ['6232', '咖啡馆'], ['6231', '茶馆'], ['6233', '酒吧']],
    enterpriseWeight: 5,
    individualWeight: 6,
    revenuePerEmployee: [120_000, 400_000],
    assetsToRevenue: [0.3, 1],
    technology: false,
  },
  {
    key: 'accommodation',
    classes: [['6110', '酒店管理'], ['6121', '酒店管理'], ['6129', '宾馆'], ['6130', '民宿']],
    shops: [['6129', '宾馆'], ['6130', '民宿']],
    enterpriseWeight: 2,
    individualWeight: 1.5,
    revenuePerEmployee: [150_000, 500_000],
    assetsToRevenue: [1, 3],
    technology: false,
  },
  {
    key: 'transport',
    classes: [['5431', '物流'], ['5437', '城市配送'], ['5439', '运输'], ['5413', '出租汽车'], ['5421', '客运'], ['5422', '旅游客运'], ['5522', '海运'], ['5523', '航运'], ['5821', '货运代理'], ['5920', '仓储'], ['5910', '装卸服务']],
    shops: [['5431', '货运部'], ['5438', '搬家服务部'], ['5413', '出租汽车服务部']],
    enterpriseWeight: 5,
    individualWeight: 1.5,
    revenuePerEmployee: [300_000, 1_000_000],
    assetsToRevenue: [0.5, 1.5],
    technology: false,
  },
  {
    key: 'tourismCulture',
    classes: [['7291', '国际旅行社'], ['7291', '旅行社'], ['9030', '文化旅游'], ['8890', '文化艺术'], ['8930', '体育发展'], ['9019', '娱乐'], ['7282', '会展服务'], ['8730', '影视文化']],
    shops: [['8930', '健身工作室'], ['9019', '桌游馆']],
    enterpriseWeight: 3,
    individualWeight: 0.5,
    revenuePerEmployee: [200_000, 800_000],
    assetsToRevenue: [0.3, 1.2],
    technology: false,
  },
  {
    key: 'businessServices',
    classes: [['7241', '财务咨询'], ['7242', '市场调查'], ['7243', '企业管理咨询'], ['7251', '网络广告'], ['7259', '广告'], ['7262', '人力资源'], ['7263', '劳务派遣'], ['7297', '商务服务'], ['7219', '企业管理'], ['7492', '设计'], ['7484', '工程设计'], ['7491', '工业设计']],
    shops: [['7259', '广告部'], ['7492', '设计工作室']],
    enterpriseWeight: 7,
    individualWeight: 0.5,
    revenuePerEmployee: [200_000, 800_000],
    assetsToRevenue: [0.3, 1],
    technology: false,
  },
  {
    key: 'construction',
    classes: [['4710', '建设工程'], ['4813', '市政工程'], ['4899', '建筑工程'], ['4910', '电气工程'], ['4920', '机电安装'], ['5011', '装饰工程'], ['5012', '装饰设计工程'], ['5013', '幕墙工程']],
    shops: [['5012', '装饰工作室']],
    enterpriseWeight: 5,
    individualWeight: 0.5,
    revenuePerEmployee: [400_000, 1_200_000],
    assetsToRevenue: [0.6, 1.5],
    technology: false,
  },
  {
    key: 'research',
    classes: [['7320', '工程技术研究'], ['7340', '生物医药研究'], ['7452', '检测技术'], ['7513', '新材料科技'], ['7515', '新能源技术'], ['7517', '三维科技'], ['7530', '科技服务'], ['7540', '创业孵化']],
    enterpriseWeight: 4,
    individualWeight: 0,
    revenuePerEmployee: [250_000, 900_000],
    assetsToRevenue: [0.6, 1.8],
    technology: true,
  },
  {
    key: 'personalServices',
    classes: [['8010', '家政服务'], ['8040', '美容美发'], ['8051', '沐浴'], ['8053', '健康管理'], ['8060', '摄影'], ['8111', '汽车服务'], ['8131', '家电维修'], ['8223', '宠物服务']],
    shops: [['8010', '家政服务部'], ['8040', '理发店'], ['8040', '美容院'], ['8051', '浴室'], ['8053', '养生馆'], ['8060', '摄影工作室'], ['8111', '汽车修理厂'], ['8131', '家电维修部'], ['8192', '修鞋铺'], ['8223', '宠物美容店']],
    enterpriseWeight: 3,
    individualWeight: 6,
    revenuePerEmployee: [100_000, 350_000],
    assetsToRevenue: [0.3, 1],
    technology: false,
  },
  {
    key: 'realEstate',
    classes: [['7010', '房地产开发'], ['7020', '物业管理'], ['7030', '房产经纪']],
    shops: [['7030', '房产中介服务部']],
    enterpriseWeight: 3,
    individualWeight: 0.3,
    revenuePerEmployee: [300_000, 3_000_000],
    assetsToRevenue: [2, 6],
    technology: false,
  },
  {
    key: 'agriculture',
    classes: [['0141', '农业科技'], ['0143', '花卉园艺'], ['0151', '生态农业'], ['0153', '果业'], ['0164', '茶业'], ['0171', '中药材种植'], ['0313', '养殖'], ['0321', '禽业'], ['0412', '水产']],
    shops: [['0141', '蔬菜种植场'], ['0164', '茶园'], ['0321', '养鸡场']],
    enterpriseWeight: 2,
    individualWeight: 0.5,
    revenuePerEmployee: [100_000, 500_000],
    assetsToRevenue: [0.8, 2],
    technology: false,
  },
  {
    key: 'energy',
    classes: [['4416', '光伏电力'], ['4415', '风电'], ['4430', '热力']],
    enterpriseWeight: 0.5,
    individualWeight: 0,
    revenuePerEmployee: [800_000, 3_000_000],
    assetsToRevenue: [1.5, 4],
    technology: true,
  },
];

const COOPERATIVE_KINDS: readonly (readonly [string, string])[] = [
  ['0141', '蔬菜种植专业合作社'],
  ['0151', '果业专业合作社'],
  ['0153', '柑橘种植专业合作社'],
  ['0164', '茶叶专业合作社'],
  ['0143', '花卉苗木专业合作社'],
  ['0313', '生猪养殖专业合作社'],
  ['0412', '水产养殖专业合作社'],
];
const SOCIAL_ORGANIZATION_KINDS: readonly (readonly [string, string])[] = [
  ['8391', '职业技能培训学校'],
  ['8393', '艺术培训中心'],
  ['8392', '青少年体育培训中心'],
  ['9522', '行业协会'],
  ['9521', '学会'],
];
const PUBLIC_INSTITUTION_KINDS: readonly (readonly [string, string])[] = [
  ['8421', '社区卫生服务中心'],
  ['8411', '人民医院'],
  ['7340', '医学研究所'],
  ['8850', '博物馆'],
];

// The weighted lists are built once: the generator draws from them 2,000 times.
const CITY_WEIGHTS = CITIES.map((c) => [c, c.weight] as const);
const COUNTY_WEIGHTS = new Map(CITIES.map((c) => [c, c.counties.map(([code, name, weight]) => [[code, name] as const, weight] as const)]));
const ENTERPRISE_SECTORS = SECTORS.map((s) => [s, s.enterpriseWeight] as const);
const INDIVIDUAL_SECTORS = SECTORS.filter((s) => s.shops).map((s) => [s, s.individualWeight] as const);

const BRAND_FIRST = [...'宏鑫恒华联博瑞嘉锦盛天星云新安汇金凯绿美明鹏启润森泰万翔尚优卓致智正永益东长德海晨蓝聚'];
const BRAND_SECOND = [...'达源信创拓远丰禾程世衡辰帆锐通桥旋佳风航泽宇和象品越盛康青纳光力诚腾茂科邦'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈'];
const GIVEN_NAMES = ['建华', '秀英', '国强', '丽娟', '海燕', '志明', '小红', '德胜', '春梅', '文杰', '雪梅', '永强', '桂兰', '俊杰', '晓东', '美玲'];
const STREETS = ['新华', '人民', '建设', '解放', '中山', '和平', '东湖', '长江', '滨江', '花园', '南湖', '北苑'];
const ORDINALS = [...'一二三四五六七八九'];

const brand = (draw: Draw) => draw.pick(BRAND_FIRST) + draw.pick(BRAND_SECOND);

/** How an individual business names itself: a trade name, the owner's name, or 陈记 style. */
function shopTradeName(draw: Draw): string {
  const surname = draw.pick(SURNAMES);
  const style = draw.weighted([['brand', 3], ['owner', 3], ['ji', 4]] as const);
  return style === 'brand' ? brand(draw) : style === 'owner' ? surname + draw.pick(GIVEN_NAMES) : `${surname}记`;
}

// Facts

type Tier = 'micro' | 'small' | 'medium' | 'large';
const TIER_EMPLOYEES: Record<Tier, readonly [number, number]> = { micro: [1, 19], small: [20, 99], medium: [100, 499], large: [500, 6_000] };

const TECHNOLOGY_QUALIFICATIONS = {
  highTech: '高新技术企业',
  techSme: '科技型中小企业',
  specialised: '专精特新中小企业',
  littleGiant: '专精特新"小巨人"企业',
  innovative: '创新型中小企业',
};

function establishedOn(draw: Draw, entityType: DemoEntityType): string {
  const era = entityType === 'individualBusiness' ? draw.weighted([[[2021, 2026], 55], [[2015, 2020], 30], [[2005, 2014], 15]] as const) : draw.weighted([[[2021, 2026], 32], [[2015, 2020], 33], [[2008, 2014], 20], [[1990, 2007], 15]] as const);
  const year = draw.integer(era[0], era[1]);
  const lastMonth = year === 2026 ? Number(DEMO_PROFILES_AS_OF.slice(5, 7)) : 12;
  const month = draw.integer(1, lastMonth);
  const lastDay = year === 2026 && month === lastMonth ? Number(DEMO_PROFILES_AS_OF.slice(8, 10)) : 28;
  return `${year}-${String(month).padStart(2, '0')}-${String(draw.integer(1, lastDay)).padStart(2, '0')}`;
}

function monthsUntilAsOf(date: string): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return (2026 - y) * 12 + (Number(DEMO_PROFILES_AS_OF.slice(5, 7)) - m);
}

function employeesOf(draw: Draw, entityType: DemoEntityType): number {
  switch (entityType) {
    case 'individualBusiness':
      return draw.weighted([[1, 4], [2, 3], [3, 2], [5, 1], [8, 0.5]] as const);
    case 'farmerCooperative':
      return Math.round(draw.logBetween(5, 60));
    case 'socialOrganization':
      return Math.round(draw.logBetween(4, 80));
    case 'publicInstitution':
      return Math.round(draw.logBetween(30, 2_500));
    case 'enterprise': {
      const tier = draw.weighted([['micro', 52], ['small', 28], ['medium', 15], ['large', 5]] as const);
      const [low, high] = TIER_EMPLOYEES[tier];
      return Math.round(draw.logBetween(low, high));
    }
  }
}

function qualificationsOf(draw: Draw, sector: Sector | undefined, entityType: DemoEntityType, employees: number, ageMonths: number): string[] {
  if (entityType !== 'enterprise' || ageMonths < 12) return [];
  const found: string[] = [];
  const technology = sector?.technology ?? false;
  if (draw.chance(technology ? 0.35 : 0.02) && ageMonths >= 24) found.push(TECHNOLOGY_QUALIFICATIONS.highTech);
  if (employees < 500 && draw.chance(technology ? 0.4 : 0.03)) found.push(TECHNOLOGY_QUALIFICATIONS.techSme);
  if (employees >= 10 && employees < 1000 && draw.chance(technology ? 0.2 : 0.02)) {
    found.push(TECHNOLOGY_QUALIFICATIONS.specialised);
    if (draw.chance(0.35)) found.push(TECHNOLOGY_QUALIFICATIONS.littleGiant);
  }
  if (draw.chance(technology ? 0.2 : 0.02)) found.push(TECHNOLOGY_QUALIFICATIONS.innovative);
  if (sector?.key === 'advancedManufacturing' && draw.chance(0.08)) found.push('绿色工厂');
  if (draw.chance(0.04)) found.push('守合同重信用企业');
  return found;
}

/** Leaves a fact out for a share of profiles, as when an authority has not reported it. */
function unlessMissing<T>(draw: Draw, missingShare: number, value: T): T | undefined {
  return draw.chance(missingShare) ? undefined : value;
}

function profile(draw: Draw, index: number): DemoEnterpriseProfile {
  const city = draw.weighted(CITY_WEIGHTS);
  const [region, county] = draw.weighted(COUNTY_WEIGHTS.get(city)!);
  // `上海市浦东新区`, `杭州市西湖区`, `东莞市`, `义乌市` (a county-level city stands alone): how the
  // registered names of small businesses begin.
  const place = county.endsWith('市') ? county : `${city.city}市${county}`;

  const entityType = draw.weighted<DemoEntityType>([['enterprise', 76], ['individualBusiness', 18], ['farmerCooperative', 2.5], ['socialOrganization', 2], ['publicInstitution', 1.5]]);
  let industry: string;
  let name: string;
  let sector: Sector | undefined;
  switch (entityType) {
    case 'enterprise': {
      sector = draw.weighted(ENTERPRISE_SECTORS);
      const [companyIndustry, companyWord] = draw.pick(sector.classes);
      industry = companyIndustry;
      name = `${city.city}${brand(draw)}${companyWord}${draw.chance(0.08) ? '股份有限公司' : '有限公司'}`;
      break;
    }
    case 'individualBusiness': {
      sector = draw.weighted(INDIVIDUAL_SECTORS);
      const [shopIndustry, shopWord] = draw.pick(sector.shops!);
      industry = shopIndustry;
      name = `${place}${shopTradeName(draw)}${shopWord}`;
      break;
    }
    case 'farmerCooperative': {
      const [kindIndustry, kind] = draw.pick(COOPERATIVE_KINDS);
      industry = kindIndustry;
      name = `${place}${brand(draw)}${kind}`;
      break;
    }
    case 'socialOrganization': {
      const [kindIndustry, kind] = draw.pick(SOCIAL_ORGANIZATION_KINDS);
      industry = kindIndustry;
      name = kindIndustry.startsWith('95') ? `${city.city}市${draw.pick(['软件', '餐饮', '物流', '电子商务', '家具', '跨境电商'])}${kind}` : `${place}${brand(draw)}${kind}`;
      break;
    }
    case 'publicInstitution': {
      const [kindIndustry, kind] = draw.pick(PUBLIC_INSTITUTION_KINDS);
      industry = kindIndustry;
      name =
        kindIndustry === '8421'
          ? `${place}${draw.pick(STREETS)}街道${kind}`
          : kindIndustry === '8411'
            ? `${city.city}市第${draw.pick(ORDINALS)}${kind}`
            : `${city.city}市${kind}`;
      break;
    }
  }

  const founded = establishedOn(draw, entityType);
  const ageMonths = monthsUntilAsOf(founded);
  const employees = employeesOf(draw, entityType);
  const insuredEmployees =
    entityType === 'individualBusiness'
      ? draw.chance(0.45)
        ? 0
        : draw.integer(1, employees)
      : draw.chance(0.04)
        ? 0
        : Math.max(1, Math.round(employees * draw.between(0.55, 1)));

  const perEmployee = sector ? draw.between(...sector.revenuePerEmployee) : draw.between(100_000, 400_000);
  const revenue =
    entityType === 'individualBusiness'
      ? draw.logBetween(60_000, 1_600_000)
      : employees * perEmployee * draw.between(0.5, 1.6) * (ageMonths < 6 ? draw.between(0.05, 0.4) : 1);
  const assets = revenue * draw.between(...(sector?.assetsToRevenue ?? [0.8, 2]));
  const margin = draw.weighted([
    [draw.between(-0.15, -0.005), 17],
    [0, 4],
    [entityType === 'individualBusiness' ? draw.between(0.05, 0.3) : draw.between(0.01, 0.18), 79],
  ] as const);
  const taxpayerType: 'general' | 'smallScale' = revenue > 5_000_000 ? 'general' : draw.chance(entityType === 'individualBusiness' ? 0.97 : 0.85) ? 'smallScale' : 'general';
  const rating = ageMonths < 12 ? 'M' : draw.weighted([['A', 18], ['B', 45], ['M', 25], ['C', 7], ['D', 5]] as const);
  const layoffRate = insuredEmployees === 0 ? 0 : draw.weighted([[0, 55], [Math.round(draw.between(0.1, 5.5) * 10) / 10, 33], [Math.round(draw.between(5.6, 30) * 10) / 10, 12]] as const);

  const facts: DemoEnterpriseFacts = {
    region,
    industry,
    entityType,
    establishedOn: unlessMissing(draw, 0.05, founded),
    employees: unlessMissing(draw, 0.1, employees),
    insuredEmployees: unlessMissing(draw, 0.08, insuredEmployees),
    operatingRevenue: unlessMissing(draw, 0.12, yuan(revenue)),
    totalAssets: unlessMissing(draw, 0.18, yuan(assets)),
    taxableIncome: unlessMissing(draw, 0.15, yuan(revenue * margin)),
    taxpayerType: unlessMissing(draw, 0.07, taxpayerType),
    taxCreditRating: unlessMissing(draw, 0.1, rating),
    qualifications: qualificationsOf(draw, sector, entityType, employees, ageMonths),
    layoffRate: unlessMissing(draw, 0.12, layoffRate),
    unemploymentInsurancePaid: unlessMissing(draw, 0.1, yuan(insuredEmployees * draw.between(300, 900))),
    untrustworthy: unlessMissing(draw, 0.15, draw.chance(0.03)),
  };
  for (const key of Object.keys(facts) as (keyof DemoEnterpriseFacts)[]) if (facts[key] === undefined) delete facts[key];

  // Associations (95xx) are 社会团体 (51); schools and training centres are 民办非企业单位 (52).
  const [authority, category] = entityType === 'socialOrganization' && industry.startsWith('95') ? ['5', '1'] : USCC_KIND[entityType];
  const uscc = makeUscc({ authority, category, region, organizationCodeBody: organizationCodeBodyFromNumber(ORGANIZATION_CODE_BASE + index) });
  return { uscc, name, facts };
}

/** Registration authority and category of GB 32100 for each entity type. */
const USCC_KIND: Record<DemoEntityType, [string, string]> = {
  enterprise: ['9', '1'],
  individualBusiness: ['9', '2'],
  farmerCooperative: ['9', '3'],
  socialOrganization: ['5', '2'],
  publicInstitution: ['1', '2'],
};

/** `count` demo enterprise profiles; the same arguments always give the same profiles. */
export function demoEnterpriseProfiles(count = 2000, seed = DEFAULT_SEED): DemoEnterpriseProfile[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number: ${count}`);
  const draw = new Draw(mulberry32(seed));
  return Array.from({ length: count }, (_, index) => profile(draw, index));
}
