"""What ``coursebook.pdf`` does to each page of the site in Chromium before printing it: wait for
its charts, read its facts (title, parts, exercises), hide what only works online, and number the
chapter, its figures and its tables for the printed book.
"""

# Hidden in the book on top of the site's print CSS: links and switches that only work online.
BOOK_CSS = """
.language-switch, .dropdown-download-buttons, .article-header-buttons { display: none !important; }
.bd-article-container, .bd-main, .bd-content { padding: 0 !important; margin: 0 !important; }
.course-print-caption, table > caption, figcaption { font-size: 0.9em; color: #333 !important; }
.course-print-caption { margin: 0.3em 0 1em; text-align: center; }
table > caption { caption-side: top; text-align: left; }
.caption-number { font-weight: bold; }
"""
SETTLED_JS = """() => Array.from(document.querySelectorAll('div.course-chart'))
    .every(c => c.dataset.rendered === 'true' || c.dataset.rendered === 'error')"""
PAGE_FACTS_JS = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    await document.fonts.ready;
    const h1 = document.querySelector('main h1, article h1, h1');
    const clean = (el) => { const c = el.cloneNode(true);
        c.querySelectorAll('.headerlink').forEach(a => a.remove()); return c.textContent.trim(); };
    return {
        title: h1 ? clean(h1) : document.title,
        parts: Array.from(document.querySelectorAll('.bd-sidebar-primary p.caption .caption-text'))
            .map(e => e.textContent.trim()),
        charts: Array.from(document.querySelectorAll('div.course-chart'))
            .map(c => c.dataset.rendered || ''),
        exercises: Array.from(document.querySelectorAll('a.exercise-download'))
            .map(a => ({text: a.textContent.trim(), href: a.href})),
    };
}"""
# Print only: chapter N's title reads "N. Title" (as in the contents) and its figures and tables
# "Figure N.1" / "Таблица N.1", counted over what the printed page shows.
# A chart inside a captioned figure (glue:figure) is numbered with that figure, whose "Fig. N" from
# the site is replaced; a chart of its own gets a caption line; a table keeps its title, if any.
NUMBER_JS = """([chapter, words]) => {
    const article = document.querySelector('article.bd-article') || document.body;
    const shown = (el) => el.getClientRects().length > 0;
    const number = (holder, text) => {
        let num = holder.querySelector('.caption-number');
        if (!num) { num = document.createElement('span'); num.className = 'caption-number';
            holder.prepend(num); }
        num.textContent = '';
        num.textContent = holder.textContent.trim() ? text + '. ' : text;
    };
    // as numbered in the contents; the theme prints its own copy of the title outside the article
    document.querySelectorAll('h1').forEach((h1) => h1.prepend(`${chapter}. `));
    let figures = 0, tables = 0;
    for (const el of article.querySelectorAll('figure, div.course-chart')) {
        if (!shown(el) || (el.matches('div.course-chart') && el.closest('figure'))) continue;
        const text = `${words.figure} ${chapter}.${++figures}`;
        const caption = el.querySelector('figcaption p') || el.querySelector('figcaption');
        if (caption) { number(caption, text); continue; }
        const line = document.createElement('p');
        line.className = 'course-print-caption';
        line.textContent = text;
        el.after(line);
    }
    for (const table of article.querySelectorAll('table')) {
        if (!shown(table)) continue;
        const text = `${words.table} ${chapter}.${++tables}`;
        let caption = table.querySelector(':scope > caption');
        if (!caption) { caption = document.createElement('caption'); table.prepend(caption); }
        number(caption, text);
    }
    return {figures, tables};
}"""
