//! The queue's local views of tickets, quotas and job pods: kube-runtime watchers into reflector stores.
//!
//! Each [`Mirror`] runs kube-runtime's `watcher` (it resumes a watch the server or a cut ends,
//! lists again on 410 Gone, reconnects a watch silent past its timeout), its errors paused by
//! `default_backoff`, and applies what it brings to a reflector [`Store`] through its
//! [`Writer`]. A request the cluster refuses starts the watch over with a new list after the
//! queue's retry policy's pause (a list says at once that the cluster answers again); past that
//! policy the cluster is gone for this job, and the error says so.
//!
//! A mirror also counts changes that matter: its predicate (a `kube::runtime::Predicate`)
//! hashes what of an item the queue's decision reads, and the generation moves only when an
//! item comes, goes, or changes that hash, or a list replaces the view. kube-runtime's own
//! `predicate_filter` works on the objects of `touched_objects`, which drops the end of a list
//! and a delete whose hash did not change: both matter here, so the predicate is applied to the
//! watcher's events instead.
//!
//! And it notes, per item, when this process last saw it change (its resourceVersion move), on
//! its own monotonic clock: a ticket is dead when its holder has not renewed it for a lease
//! duration *as this launcher saw it* (see [`Mirror::unchanged_since`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::{FutureExt, StreamExt};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{Pod, ResourceQuota};
use kube::api::Api;
use kube::runtime::reflector::{self, Store, store::Writer};
use kube::runtime::watcher::{self, watcher};
use kube::runtime::{Predicate, WatchStreamExt};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::cluster::{self, retry};

/// What a mirror keeps: an object the API lists and watches.
pub(super) trait Watched:
    kube::Resource<DynamicType = ()>
    + Clone
    + DeserializeOwned
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
}

impl Watched for Lease {}
impl Watched for ResourceQuota {}
impl Watched for Pod {}

/// What a watch brings: an event, a watch error, or (never, with the backoff) its end.
pub(super) type Item<K> = Option<watcher::Result<watcher::Event<K>>>;

/// A hash of what the queue reads in a value.
pub(super) fn hash_of(v: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(v)
}

/// The watch for `selector` (empty: every object): 290 s watches, as client-go's reflector
/// picks them; a streaming list (`sendInitialEvents`, one request answered from the API
/// server's watch cache) unless `consistent`, which lists from etcd (the most recent state).
pub(super) fn config(selector: &str, consistent: bool) -> watcher::Config {
    let config = watcher::Config::default().timeout(290);
    let config = if selector.is_empty() {
        config
    } else {
        config.labels(selector)
    };
    if consistent {
        config
    } else {
        config.streaming_lists()
    }
}

/// A list kept current by a watch, and a count of the changes that matter.
pub(super) struct Mirror<K: Watched> {
    api: Api<K>,
    config: watcher::Config,
    /// The watch, while the view is kept current.
    stream: Option<BoxStream<'static, watcher::Result<watcher::Event<K>>>>,
    writer: Writer<K>,
    store: Store<K>,
    /// What of an item the queue's decision reads (a ticket's state, a quota's numbers, a
    /// pod's phase), hashed.
    relevant: fn(&K) -> Option<u64>,
    /// What `relevant` read of each item, by name, as last applied, and when it last changed.
    seen: HashMap<String, Seen>,
    /// Bumped when an item comes, goes, or changes what `relevant` reads, and when a list
    /// replaces the view: heartbeats and other noise leave it alone, so a launcher decides
    /// again only when it may matter.
    pub(super) generation: u64,
    retry: retry::Policy,
    /// Requests refused since the cluster last answered: since when, and the retry schedule.
    refused: Option<(Instant, retry::Schedule)>,
}

impl<K: Watched> Mirror<K> {
    /// A mirror not watching yet: its view is empty until [`Mirror::resync`].
    pub(super) fn idle(
        api: Api<K>,
        config: watcher::Config,
        relevant: fn(&K) -> Option<u64>,
        retry: &retry::Policy,
    ) -> Mirror<K> {
        let (store, writer) = reflector::store();
        Mirror {
            api,
            config,
            stream: None,
            writer,
            store,
            relevant,
            seen: HashMap::new(),
            generation: 0,
            retry: retry.clone(),
            refused: None,
        }
    }

    /// A mirror with its first list in, watching from there.
    pub(super) async fn new(
        api: Api<K>,
        config: watcher::Config,
        relevant: fn(&K) -> Option<u64>,
        retry: &retry::Policy,
    ) -> kube::Result<Mirror<K>> {
        let mut m = Mirror::idle(api, config, relevant, retry);
        m.resync().await?;
        Ok(m)
    }

    /// The items, as last listed or watched.
    pub(super) fn items(&self) -> Vec<Arc<K>> {
        self.store.state()
    }

    /// When this process first saw item `name` as it is now (the moment its last change came
    /// in, or the first list that showed it). A view that lags makes this later, never earlier:
    /// a launcher slow to read its watch never takes a renewed item for one left alone.
    pub(super) fn unchanged_since(&self, name: &str) -> Option<Instant> {
        self.seen.get(name).map(|s| s.since)
    }

    /// Applies whatever the watch has brought already, without waiting: a launcher woken by
    /// its clock (after a stall, say) reads the renewals that came meanwhile before it judges.
    pub(super) fn catch_up(&mut self) -> kube::Result<()> {
        while let Some(Some(item)) = self.stream.as_mut().map(|s| s.next().now_or_never()) {
            self.apply(item)?;
        }
        Ok(())
    }

    /// Whether the view is kept current.
    pub(super) fn watching(&self) -> bool {
        self.stream.is_some()
    }

    /// Stops watching; the view stays as it was (stale) until [`Mirror::resync`].
    pub(super) fn stop(&mut self) {
        self.stream = None;
        self.refused = None;
    }

    /// Stops watching and empties the view.
    pub(super) fn forget(&mut self) {
        self.stop();
        self.writer.apply_watcher_event(&watcher::Event::Init);
        self.writer.apply_watcher_event(&watcher::Event::InitDone);
        self.seen.clear();
        self.generation += 1;
    }

    /// Starts the watch over with a new list, after `pause`.
    fn start(&mut self, pause: Duration) {
        let events = watcher(self.api.clone(), self.config.clone()).default_backoff();
        let pause =
            futures::stream::once(tokio::time::sleep(pause)).filter_map(|()| async { None });
        self.stream = Some(pause.chain(events).boxed());
    }

    /// Lists again and watches from there; returns once the list is in the view. Refused
    /// requests are retried by the mirror's policy; past it, the last error.
    pub(super) async fn resync(&mut self) -> kube::Result<()> {
        self.refused = None;
        self.start(Duration::ZERO);
        loop {
            let item = self.next().await;
            if self.apply(item)? {
                return Ok(());
            }
        }
    }

    /// The next thing the watch brings (cancel-safe: the stream stays in the mirror); nothing,
    /// ever, while the mirror does not watch.
    pub(super) async fn next(&mut self) -> Item<K> {
        match self.stream.as_mut() {
            Some(s) => s.next().await,
            None => std::future::pending().await,
        }
    }

    /// Applies what [`Mirror::next`] brought, and whatever else the watch has ready.
    pub(super) fn apply_ready(&mut self, first: Item<K>) -> kube::Result<()> {
        self.apply(first)?;
        self.catch_up()
    }

    /// Applies one item; `true` when it ended a list (the view is the list's now).
    fn apply(&mut self, item: Item<K>) -> kube::Result<bool> {
        let event = match item {
            Some(Ok(event)) => event,
            Some(Err(
                watcher::Error::InitialListFailed(e) | watcher::Error::WatchStartFailed(e),
            )) => {
                let (since, schedule) = self
                    .refused
                    .get_or_insert_with(|| (Instant::now(), self.retry.schedule()));
                let pause = schedule.after_failure(&cluster::decision_of(&e), since.elapsed());
                return match pause {
                    Some(pause) => {
                        self.start(pause);
                        Ok(false)
                    }
                    None => {
                        self.stop();
                        Err(e)
                    }
                };
            }
            // A broken or expired watch: the watcher resumes it, or lists again on 410 Gone.
            Some(Err(_)) => return Ok(false),
            // The backoff never ends the stream; should it end, start again.
            None => {
                self.start(Duration::ZERO);
                return Ok(false);
            }
        };
        // The cluster answered. Not with `Init`: the watcher sends it before it lists, so it
        // comes again with every attempt at a cluster that does not answer.
        if !matches!(event, watcher::Event::Init) {
            self.refused = None;
        }
        self.writer.apply_watcher_event(&event);
        match event {
            watcher::Event::Apply(o) => {
                let name = name_of(&o);
                let seen = Seen::of(&o, self.relevant.hash_property(&o), self.seen.get(&name));
                let relevant = seen.relevant;
                if self.seen.insert(name, seen).map(|s| s.relevant) != Some(relevant) {
                    self.generation += 1;
                }
            }
            watcher::Event::Delete(o) => {
                if self.seen.remove(&name_of(&o)).is_some() {
                    self.generation += 1;
                }
            }
            watcher::Event::InitDone => {
                // Items the list shows unchanged keep the moment they were first seen so.
                self.seen = self
                    .store
                    .state()
                    .iter()
                    .map(|o| {
                        let name = name_of(&**o);
                        let relevant = self.relevant.hash_property(&**o);
                        let seen = Seen::of(&**o, relevant, self.seen.get(&name));
                        (name, seen)
                    })
                    .collect();
                self.generation += 1;
                return Ok(true);
            }
            // A list replaces the view at its end.
            watcher::Event::Init | watcher::Event::InitApply(_) => {}
        }
        Ok(false)
    }
}

/// What a mirror last saw of one item.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    /// What `relevant` read of it.
    relevant: Option<u64>,
    /// Its resourceVersion: any write to it (a heartbeat too) moves it.
    version: Option<String>,
    /// When this process first saw it at `version`.
    since: Instant,
}

impl Seen {
    /// `o` as seen now: since `before.since` if it has not changed since then.
    fn of<K: kube::Resource>(o: &K, relevant: Option<u64>, before: Option<&Seen>) -> Seen {
        let version = o.meta().resource_version.clone();
        let since = match before {
            Some(b) if b.version == version => b.since,
            _ => Instant::now(),
        };
        Seen {
            relevant,
            version,
            since,
        }
    }
}

fn name_of<K: kube::Resource>(o: &K) -> String {
    o.meta().name.clone().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn lease(version: &str) -> Lease {
        Lease {
            metadata: ObjectMeta {
                name: Some("etl-1-ticket".into()),
                resource_version: Some(version.into()),
                ..Default::default()
            },
            spec: None,
        }
    }

    /// The moment an item was seen as it is holds while its resourceVersion does (a list that
    /// shows it again, an event that repeats it) and moves with any write to it.
    #[tokio::test(start_paused = true)]
    async fn an_item_is_unchanged_since_its_version_last_moved() {
        let first = Seen::of(&lease("7"), Some(1), None);
        tokio::time::advance(Duration::from_secs(20)).await;
        let same = Seen::of(&lease("7"), Some(1), Some(&first));
        assert_eq!(same.since, first.since);
        let renewed = Seen::of(&lease("8"), Some(1), Some(&same));
        assert_eq!(renewed.since, first.since + Duration::from_secs(20));
        assert_eq!(renewed.relevant, Some(1));
    }
}
