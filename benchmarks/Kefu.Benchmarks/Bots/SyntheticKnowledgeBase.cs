using System.Text;
using Kefu.Bots;
using Kefu.Bots.Matching;

namespace Kefu.Benchmarks.Bots;

/// <summary>The script of a <see cref="SyntheticKnowledgeBase"/>.</summary>
public enum SyntheticLanguage
{
    /// <summary>Chinese-like: words of 1–3 common Chinese characters, written without spaces.</summary>
    Chinese,

    /// <summary>English-like: made-up words of 2–3 syllables and common English function words, written with spaces.</summary>
    English,
}

/// <summary>
/// A knowledge base made up deterministically from a seed, for benchmarks that need a realistic size and overlap
/// rather than real text: each rule has a few topic words (drawn from a shared vocabulary with a Zipf-like law, so
/// popular words recur across many rules) and each variant of the rule says them in a different way: some dropped,
/// reordered, one character misspelt, with common filler words around them. <see cref="HeldOut"/> are paraphrases
/// made the same way but kept out of the rules, as a user's questions would be.
/// </summary>
internal sealed class SyntheticKnowledgeBase
{
    // The 2,500 most frequent Chinese characters, ranked by their frequency in jieba's dictionary (MIT).
    private const string CommonChinese =
        "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可过天作分方用多你着部" +
        "能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山" +
        "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向" +
        "治因立数样身情入原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首" +
        "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五" +
        "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增" +
        "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英克士尔让拉思根格造较际亲单朝红" +
        "型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源" +
        "息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚" +
        "般击曾防请离落显罗营足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严" +
        "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗" +
        "章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏" +
        "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎" +
        "讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某" +
        "顾曲楚典朱毒菜判救宋茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳" +
        "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂姓泽吸侧庆妈遇追甲馆" +
        "补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟概酸操诸绿佛荣针托宽折野付午肯库厚缺罢耳" +
        "屋嘴末谢巨培页瓦款犯困店智拥雪翻圣戏旗吉婚奖岩疑币圆歌廷健卡烧析讨跑烟误仙疗舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横" +
        "驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择墓宪峰遍鲁庙掉丹桃御舰避售怒课播拔奥延虚隐粮络遭摇潜庄混厅婆奴鼓赵访睡震予童徐韦" +
        "殖抓拜吨扬址洛休纵逃染纷贸透汇灭蛋森仪塔距狐融郡缓聚盖拍迹忠释润粉涓孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏迫锛凡损" +
        "壁哭替税综伦冰盟挂韩竞乌尤弱铺妹秦尊竹珠迅脉泥鬼纯睛刑途隆潮幅杯握谋剂幸奉乘抱朋谓频崇壮骑紝恐享鸡虫绍铜呈泛械摆欲奶敬措" +
        "爆暴签猛郭嘉障缩亦废搞胞埃曰撤暖寒订俗绩阻盐萨勒忘奏孝贴灰梅触玩默醒胸莲篇柱裁啦淡抢捕闹纺截讯朗誉雅忍梦伙勇峡徒丈尾迷唱" +
        "泉泰佳残闪伍呀疾署剩贼冠倾豆申贫诺麦泪羊尖辈镜涉贡爹缘摩妻殊贝零映甘骂糖岳饮奋棉雕跃汗冒渡努赞启阁斤裂患伏池鹿洗劲晋倍圈" +
        "媒箭沟锋胆凭挑抬闯隔弄曹汤苗迁叹唯振储贯彻桌祭符僧衡炸旋喊凤黎郎援肥磁忌赏辽祥董仁辛瑞询敏浪貌毁昨巧腿抽荷陷焦净腹弃乃湘" +
        "亩滑狗冬宏皆番尸伟桂览恢龄绕趣晶坡魏摸伴墨浓绪舍蓝荡阅井鸿旦惯症鸟窗扎辞聘穷堰宇键荒递恨隶厉杜闲腰袭侍灾涨叔湿寨幕豪郑磨" +
        "浮薄券赤腐译租氧戴邓煤肠牧孤诏妙旨堡册锅胖柳阔吹丘趋锦颜悬陶拳诚尺晓插蒋艇勤穴摄燕垂罚辆戒稀腾粗袋绘炎氏肩枝狂泊估杭扑臂" +
        "哲寡偷懂琴悲盾炒稍矛愈籍颁吐呆违亭眉撞贷刊巡屈堆曼饰碎滚悉寄浜迟描污辅魔烦鼻盗餐幼凉仗冈澳驾銆菌肚肃爸仰抚慈扶盆仿炼纲倘" +
        "碗杰忧惜扫暂祝跨渔宾漫寿猪涌凝邻赴恰劝仇践顷赋悄莱拟贤愤姆乏轰粒逼傅陕昆溶葬燃魂挺腊耐犹辉乳陪颇斜棋殑熊浅沈姊返翼丧拖惨" +
        "俊驱袖惠涂添牵咸详碰割侯纤柔档糊岂跪拒覆绣吓宿偶揭赖烤卢娃颗邮扇伐循衰弦凯羽枚帅锁疏搭俱帐胶赫鐨埋蒸壳剉彼脏箱浙弯瓜挡拱" +
        "筹疆肿膜刷杆凶债甜泡玄贾谱夹乾遣薪灌咬尘填廊钻丛狼牢脊熙卒碑漠躲削徽踏贺朵遵狠菲撒扰蛇锡炉纹匹亏鉴慕跌慌穆邀芳爬豫吾奸棒" +
        "淮捷耕艘齿醉脂兽滴盈卵滋柴溪妃浠碍瓶辩遂怨拨肌俘挖恒励鸣肝腔偿秒拦允塑拆靖耗凌披胁吏纽烂尝垸辟耶艰佩敦疼荐厘匠柏悠壤拾乔" +
        "轴妖喷掩璃孟轨歇猜晨坊桑堤畅瞎氨辨鞋昏恭畜浩迪雾丢咨擦窝洁飘捉搬奈肤愁砖辣幽嘛赢藕挤舒狮耀诊扣篮尿唤梯勾霍舌侠筋枢屏衙殷" +
        "栏纠链恋惧笼寸冶弥晃叙吊哩稿娜剥拼欺榜囊汪逆骗堪猎棺胎俩郊掘匆缝乙藻携慧函辱扯嫩癌悟滩祸秉慰驰狱砍糕漏吞纬茅渠催踪叛浑牲" +
        "杖鞭腺邪欣汝碳彭咐椒绳颈漆遥夷郁斑忆阀卑宴抑逻嫁扭胃仔恼贪兆庸屽僭疯侦鹰驶斩鹤猴蜂瘦赐闷柄椅轿拓扮砂傻粘辐啥鏄伪抛玻昂圳" +
        "侨吟刃饱吕玛碱冯仓钦哼庞儒叉泄臭艾蓉鼠祯捧舱坝芙瘤勃敲帽吻契舟夸葡剪抖霸艳宸聪仆躺瑶谦炭卧袍猫珊溜漂衔苍坑串浆碧巷咽铸押" +
        "惩迈锐颤疲滨履盒宅喀饿缠翁幻逢扁旱罕怜姻蓄磷惟槸帕掠稻劫撑姿肾胀慎哨摔谨鹅丑塘肺镑趁蜀兑哦贞禧葛仲惑蔡踢妥筒诞禀朴祀饼萄" +
        "狭澶杩赔绵诱卜陀呵抹疫辰顽蓬摊倡浦账矩翠煌茂畏劣氛廉鸭瓷戈秩弗悔尉挣拐鼎芦睁脾聊株枯纱幺冻唇茫哀芬轩蛮醇棍晕嫂宙酷郧欠稷" +
        "鹏孕槽栖吩姚昭罐叠墩盼舆芒酬斥捐斋簡眠脆萧璋皱卿蚀淋卓翰钉棣丫宰阐翅沃挨霖哄爵涔衫逊铭戚旺硕擅嫌赌隋肖饶沪雇罩煎丐掷誓摘" +
        "竴冤坤屁竭屾宛菱厌矮潭渊俺崖氢棚喇涵裕溃堵媳抄鍙怔蒂肢瑜泌甫檐鏈寂颠撰逝霜羞铅佐帖硫蹈鍦瞬痕爽挽禅娶柯屯韵婴悦肴螺凑兹烛" +
        "歼毅杉慨钧渗蜜遮窑谐厦柜匈喉愧栽扔苯谊肆霞吵屼笉夕壶赚尹窄弓谭盲勋饲窟俞嗣煮巾裤膨奠瞪珞愚膏喘姜膀蔬糟僚匾妄畴喂沔耻牺旭" +
        "妨硅崩雌陛卸砸贩竖佸攀晒伞惹裹屠汁擒鳞佣渴浣叩龟雀掀唉泼亥僵屡瞒哊璇厮刮钩桐谅隙丞盯霉侄逸浸爪阙坟咳宠脖彪朕虹衍甸鳍讼虾" +
        "芝涛巩熔峻怖嘿磕洒掏枣滞鈥舅昔哑焕娱芯衷捞卦旬矣茨蜡喻挪婶琉枕娇豹厨傲腕巢氯燥焚";
    private static readonly string[] EnglishFiller =
    [
        "how", "do", "i", "can", "you", "my", "the", "a", "to", "please", "what", "is", "why", "when", "where", "does",
        "it", "for", "with", "on", "need", "want", "help", "me", "about", "there", "should", "could", "tell", "still",
    ];

    private static readonly string[] Syllables = [.. "b c d f g h k l m n p r s t v w z sh ch tr".Split(' ').SelectMany(c => "a e i o u ai ou".Split(' ').Select(v => c + v))];

    private const int VocabularySize = 20_000;
    private const int ChineseFillerWords = 60;
    private const int TopicWordsPerRule = 3;

    /// <summary>The script of the text.</summary>
    public required SyntheticLanguage Language { get; init; }

    /// <summary>The rules, ids 1 to the number of rules, each with its variants as questions.</summary>
    public required IReadOnlyList<KnowledgeRule> Rules { get; init; }

    /// <summary>Paraphrases not among the rules' questions, with the rule each asks for; question <c>i</c> asks for rule <c>i % rules + 1</c>.</summary>
    public required IReadOnlyList<LabelledQuestion> HeldOut { get; init; }

    /// <summary>Every question of every rule.</summary>
    public int QuestionCount => Rules.Sum(r => r.Questions.Count);

    /// <summary>Makes <paramref name="rules"/> rules of <paramref name="variants"/> questions each, and <paramref name="heldOut"/> paraphrases.</summary>
    public static SyntheticKnowledgeBase Generate(int rules, int variants, int heldOut, int seed, SyntheticLanguage language = SyntheticLanguage.Chinese)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rules, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(variants, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(heldOut);
        var maker = new Writer(language, seed);
        var topics = new string[rules][];
        var built = new KnowledgeRule[rules];
        var questions = new HashSet<string>[rules];
        for (var r = 0; r < rules; r++)
        {
            topics[r] = maker.TopicWords();
            questions[r] = new HashSet<string>(StringComparer.Ordinal);
            for (var attempt = 0; questions[r].Count < variants && attempt < variants * 4; attempt++)
            {
                questions[r].Add(maker.Variant(topics[r]));
            }

            built[r] = new KnowledgeRule
            {
                Id = r + 1,
                Questions = [.. questions[r]],
                Answer = KnowledgeAnswer.FromText($"answer {r + 1}"),
            };
        }

        var held = new LabelledQuestion[heldOut];
        for (var i = 0; i < heldOut; i++)
        {
            var r = i % rules;
            var text = maker.Variant(topics[r]);
            for (var attempt = 0; attempt < 20 && questions[r].Contains(text); attempt++)
            {
                text = maker.Variant(topics[r]);
            }

            held[i] = new LabelledQuestion(text, r + 1);
        }

        return new SyntheticKnowledgeBase { Language = language, Rules = built, HeldOut = held };
    }

    /// <summary>The random draws that make up words, rules and variants.</summary>
    private sealed class Writer
    {
        private readonly Random _random;
        private readonly SyntheticLanguage _language;
        private readonly string[] _vocabulary;
        private readonly string[] _filler;
        private readonly double[] _wordWeights;

        public Writer(SyntheticLanguage language, int seed)
        {
            _language = language;
            _random = new Random(seed);
            _vocabulary = [.. Enumerable.Range(0, VocabularySize).Select(_ => NewWord())];
            _filler = language == SyntheticLanguage.Chinese
                ? [.. Enumerable.Range(0, ChineseFillerWords).Select(_ => new string([CommonChinese[_random.Next(150)], CommonChinese[_random.Next(150)]]))]
                : EnglishFiller;
            _wordWeights = CumulativeZipf(VocabularySize, offset: 20);
        }

        public string[] TopicWords()
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            while (words.Count < TopicWordsPerRule)
            {
                words.Add(_vocabulary[Draw(_wordWeights)]);
            }

            return [.. words];
        }

        /// <summary>One way of asking: each topic word kept with odds 0.85 (two at least), sometimes reordered or misspelt, with 1–3 filler words.</summary>
        public string Variant(string[] topic)
        {
            var words = topic.Where(_ => _random.NextDouble() < 0.85).ToList();
            while (words.Count < 2)
            {
                var word = topic[_random.Next(topic.Length)];
                if (!words.Contains(word))
                {
                    words.Add(word);
                }
            }

            if (_random.NextDouble() < 0.4)
            {
                var shuffled = words.ToArray();
                _random.Shuffle(shuffled);
                words = [.. shuffled];
            }

            if (_random.NextDouble() < 0.2)
            {
                var w = _random.Next(words.Count);
                var chars = words[w].ToCharArray();
                chars[_random.Next(chars.Length)] = _language == SyntheticLanguage.Chinese ? CommonChinese[_random.Next(CommonChinese.Length)] : (char)('a' + _random.Next(26));
                words[w] = new string(chars);
            }

            var fillers = 1 + _random.Next(3);
            for (var f = 0; f < fillers; f++)
            {
                words.Insert(_random.Next(words.Count + 1), _filler[_random.Next(_filler.Length)]);
            }

            return _language == SyntheticLanguage.Chinese ? string.Concat(words) : string.Join(' ', words);
        }

        private string NewWord()
        {
            var text = new StringBuilder();
            if (_language == SyntheticLanguage.Chinese)
            {
                var length = _random.NextDouble() switch { < 0.1 => 1, < 0.8 => 2, _ => 3 };
                for (var i = 0; i < length; i++)
                {
                    // Common characters more often than rare ones, as in real text.
                    text.Append(CommonChinese[(int)(CommonChinese.Length * Math.Pow(_random.NextDouble(), 2))]);
                }
            }
            else
            {
                var length = 2 + _random.Next(2);
                for (var i = 0; i < length; i++)
                {
                    text.Append(Syllables[_random.Next(Syllables.Length)]);
                }
            }

            return text.ToString();
        }

        private int Draw(double[] cumulative)
        {
            var x = _random.NextDouble() * cumulative[^1];
            var i = Array.BinarySearch(cumulative, x);
            return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
        }
    }

    /// <summary>Cumulative weights 1 / (rank + offset): a few words very common, most rare.</summary>
    private static double[] CumulativeZipf(int n, int offset)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / (i + offset);
            cumulative[i] = sum;
        }

        return cumulative;
    }
}
