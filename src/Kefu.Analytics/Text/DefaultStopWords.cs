namespace Kefu.Analytics.Text;

/// <summary>The project's default stop words, written for customer-service chat.</summary>
internal static class DefaultStopWords
{
    internal static readonly string[] Chinese =
    [
        // pronouns
        "我", "你", "您", "他", "她", "它", "我们", "你们", "您们", "他们", "她们", "它们", "咱们", "自己", "大家", "别人", "人家",
        "这", "那", "这个", "那个", "这些", "那些", "这里", "那里", "这边", "那边", "这样", "那样", "这么", "那么", "这种", "那种",
        "哪", "哪个", "哪些", "哪里", "哪儿", "什么", "怎么", "怎样", "怎么样", "为什么", "多少", "几", "谁", "啥", "咋",
        // particles and fillers
        "的", "地", "得", "了", "着", "过", "吗", "呢", "吧", "啊", "呀", "哦", "噢", "哈", "哈哈", "嗯", "嗯嗯", "额", "呃", "哎", "唉", "啦", "嘛", "呗", "喔", "哇",
        "好的", "好吧", "好滴", "ok", "okay", "亲", "亲亲", "您好", "你好", "在吗", "在不在", "请问", "谢谢", "麻烦", "稍等", "那个啥",
        // conjunctions and prepositions
        "和", "与", "及", "以及", "或", "或者", "还是", "而", "而且", "并且", "但", "但是", "可是", "不过", "然而", "因为", "所以", "因此", "如果", "假如", "要是",
        "虽然", "即使", "既然", "只要", "只有", "除了", "然后", "接着", "于是", "还有", "另外", "并", "则", "就是", "也就是说",
        "在", "从", "向", "对", "对于", "关于", "把", "被", "给", "让", "跟", "同", "比", "为", "为了", "按", "按照", "根据", "通过", "由", "往", "至", "到",
        // adverbs and auxiliaries
        "是", "有", "没", "没有", "不", "也", "都", "就", "才", "又", "再", "还", "很", "太", "最", "更", "挺", "蛮", "非常", "特别", "比较", "已经", "正在", "一直",
        "可以", "能", "能够", "会", "要", "想", "应该", "需要", "可能", "一定", "肯定", "必须", "只", "只是", "一下", "一些", "一点", "有点", "一个", "一样",
        "现在", "刚才", "刚刚", "今天", "昨天", "明天", "时候", "之后", "之前", "以后", "以前", "的话", "等等", "之类", "方面", "情况", "问题", "东西", "事情",
        "知道", "觉得", "感觉", "看看", "说", "看", "做", "去", "来", "上", "下", "里", "中", "个", "些", "点", "次", "下次",
    ];

    internal static readonly string[] English =
    [
        "a", "an", "the", "and", "or", "but", "if", "then", "else", "so", "because", "as", "of", "at", "by", "for", "with", "about", "to", "from",
        "in", "on", "into", "out", "up", "down", "over", "under", "again", "once", "here", "there", "when", "where", "why", "how", "what", "which",
        "who", "whom", "this", "that", "these", "those", "i", "me", "my", "we", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its",
        "they", "them", "their", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did", "can", "could",
        "will", "would", "shall", "should", "may", "might", "must", "not", "no", "nor", "too", "very", "just", "only", "also", "than", "some", "any",
        "all", "each", "both", "more", "most", "other", "such", "own", "same", "hi", "hello", "please", "thanks", "thank", "ok", "okay", "yes", "im",
        "dont", "cant", "get", "got", "ago",
        // contractions, as the tokenizers keep them whole
        "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't", "isn't", "aren't", "wasn't", "weren't",
        "haven't", "hasn't", "hadn't", "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "we're", "we've", "we'll",
        "they're", "they've", "it's", "that's", "there's", "what's", "let's", "he's", "she's",
        // more function words and chat fillers
        "us", "via", "per", "yet", "still", "even", "ever", "never", "always", "really", "much", "many", "lot", "lots",
        "make", "made", "go", "going", "went", "want", "need", "know", "like", "one", "two", "would've", "etc", "hey", "bye", "pls", "plz", "thx",
    ];
}
