"""What a search index says, whatever numbers it gave its documents: compared between runs and builds."""

SEARCH_INDEX_CONTENT = (
    "SELECT d.article_id, d.content_hash, d.word_count, p.word, p.count FROM search.documents AS d"
    " LEFT JOIN search.postings AS p USING (document_id) ORDER BY ALL"
)
