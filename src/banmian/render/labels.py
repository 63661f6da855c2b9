"""Rendering helpers that both backends share (the templates themselves are rendered by each
backend from :func:`banmian.render.env.environment`)."""

from __future__ import annotations

from banmian.model import Edition

#: The words banmian itself draws (not copy), in each edition language's script: a Traditional
#: edition must not show Simplified labels, and its TC fonts hold Big5, not GB2312.
LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {"toc": "目录", "landmarks": "导览", "cover": "封面", "body": "正文",
              "page-list": "印刷版页码", "editor": "责任编辑", "placeholder": "图片待补",
              "summary": "本电子书按报纸版面的阅读顺序编排，每篇文章为一个章节，"
                         "提供目录、结构化标题导航和印刷版页码对照；所有图片均有替代文字，"
                         "未到位的照片以标明“图片待补”的占位图代替；"
                         "文字可调整字号与版式，不依赖颜色传达信息。"},
    "zh-TW": {"toc": "目錄", "landmarks": "導覽", "cover": "封面", "body": "正文",
              "page-list": "印刷版頁碼", "editor": "責任編輯", "placeholder": "圖片待補",
              "summary": "本電子書按報紙版面的閱讀順序編排，每篇文章為一個章節，"
                         "提供目錄、結構化標題導覽和印刷版頁碼對照；所有圖片均有替代文字，"
                         "未到位的照片以標明「圖片待補」的佔位圖代替；"
                         "文字可調整字號與版式，不依賴顏色傳達資訊。"},
}


def labels(language: str) -> dict[str, str]:
    """The template labels for an edition language (Simplified for an unknown one)."""
    return LABELS.get(language, LABELS["zh-CN"])


def date_label(edition: Edition) -> str:
    """The edition date as a Chinese newspaper prints it: 2020年2月 (or 2020年2月11日)."""
    parts = [int(p) for p in edition.date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
