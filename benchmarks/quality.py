"""`python -m benchmarks.quality`: answer-selection quality, side by side.

1. Ranking on the external validation splits (TrecQA dev; WikiQA dev when present): MAP and MRR
   of the fitted scorer beside BM25 alone and dense cosine alone. Questions without a correct
   candidate are left out (the usual convention; they cannot be ranked).
2. Our eval sets (data/eval/*.jsonl, news.jsonl): hit rate, sentence precision, abstention and
   false abstention of the engine at the fitted threshold, candidate recall@40 (an expected
   sentence among the fused candidates), beside the LangChain tutorial pipeline.
"""
