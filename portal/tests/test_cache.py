"""The Redis cache (portal.cache): Django's, with one redis-py client per connection pool."""

from django.core.cache import caches

from portal.cache import RedisCache


def test_every_operation_shares_one_client_and_the_values_round_trip(isolated_cache):
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache  # the redis-py clients are what is under test
    assert client.get_client("a") is client.get_client("b", write=True)
    cache.set("greeting", {"text": "你好"}, 30)
    assert cache.get("greeting") == {"text": "你好"}
    assert cache.add("visits", 1, 30) and cache.incr("visits") == 2
    cache.delete("greeting")
    assert cache.get("greeting", "gone") == "gone"
