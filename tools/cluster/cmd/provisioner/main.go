// Command provisioner stands in for the EBS CSI driver on the local cluster. It answers the claims of StorageClasses
// whose provisioner is ebs.csi.aws.com (or EKS Auto Mode's ebs.csi.eks.amazonaws.com) with PersistentVolumes that
// exist only as API objects; kube-controller-manager's volume binder and the scheduler do the rest of the protocol as
// on EKS (WaitForFirstConsumer, selected node, binding, reclaim). kwok's pods never read their volumes, so no data is
// stored anywhere. Built from client-go alone, so it adds nothing to the control plane's module graph.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

// The provisioner names the example's StorageClasses use: the EBS CSI driver's, and EKS Auto Mode's.
var drivers = []string{"ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com"}

const (
	// set by the PV controller on a claim an external provisioner must answer
	annotationStorageProvisioner = "volume.kubernetes.io/storage-provisioner"
	// set by the scheduler on a WaitForFirstConsumer claim once its pod has a node
	annotationSelectedNode = "volume.kubernetes.io/selected-node"
	annotationProvisionedBy = "pv.kubernetes.io/provisioned-by"
)

type provisioner struct {
	client  kubernetes.Interface
	classes informers.SharedInformerFactory
}

// volumeFor is the PersistentVolume that answers claim: its size, modes and class, bound to it by claimRef.
func volumeFor(claim *v1.PersistentVolumeClaim, driver string, reclaim v1.PersistentVolumeReclaimPolicy) *v1.PersistentVolume {
	directory := v1.HostPathDirectoryOrCreate
	name := "pvc-" + string(claim.UID)
	volume := &v1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{annotationProvisionedBy: driver}},
		Spec: v1.PersistentVolumeSpec{
			PersistentVolumeReclaimPolicy: reclaim,
			AccessModes:                   claim.Spec.AccessModes,
			VolumeMode:                    claim.Spec.VolumeMode,
			StorageClassName:              *claim.Spec.StorageClassName,
			Capacity:                      v1.ResourceList{v1.ResourceStorage: claim.Spec.Resources.Requests[v1.ResourceStorage]},
			ClaimRef: &v1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID, ResourceVersion: claim.ResourceVersion,
			},
			PersistentVolumeSource: v1.PersistentVolumeSource{
				// a path no kubelet ever mounts (kwok runs none): the volume is the object and nothing else
				HostPath: &v1.HostPathVolumeSource{Path: "/var/lib/berth-local-volumes/" + name, Type: &directory},
			},
		},
	}
	if node := claim.Annotations[annotationSelectedNode]; node != "" {
		// the volume lives where the scheduler put the pod, as an EBS volume lives in its zone
		volume.Spec.NodeAffinity = &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
			MatchExpressions: []v1.NodeSelectorRequirement{{
				Key: "kubernetes.io/hostname", Operator: v1.NodeSelectorOpIn, Values: []string{node},
			}},
		}}}}
	}
	return volume
}

// answer provisions a volume for claim when it waits for one of drivers and the scheduler has placed its pod.
func (p *provisioner) answer(ctx context.Context, claim *v1.PersistentVolumeClaim) {
	driver := claim.Annotations[annotationStorageProvisioner]
	if claim.Spec.VolumeName != "" || claim.Spec.StorageClassName == nil || !slices.Contains(drivers, driver) {
		return
	}
	class, err := p.classes.Storage().V1().StorageClasses().Lister().Get(*claim.Spec.StorageClassName)
	if err != nil {
		return // the class may not be cached yet; the resync comes back
	}
	waits := class.VolumeBindingMode != nil && *class.VolumeBindingMode == "WaitForFirstConsumer"
	if waits && claim.Annotations[annotationSelectedNode] == "" {
		return
	}
	reclaim := v1.PersistentVolumeReclaimDelete
	if class.ReclaimPolicy != nil {
		reclaim = *class.ReclaimPolicy
	}
	volume := volumeFor(claim, driver, reclaim)
	_, err = p.client.CoreV1().PersistentVolumes().Create(ctx, volume, metav1.CreateOptions{})
	switch {
	case err == nil:
		klog.InfoS("provisioned", "volume", volume.Name, "claim", klog.KObj(claim), "driver", driver)
	case !apierrors.IsAlreadyExists(err):
		klog.ErrorS(err, "provisioning failed", "claim", klog.KObj(claim))
	}
}

// reclaim deletes a released volume this provisioner made when its class says Delete, as the CSI driver would.
func (p *provisioner) reclaim(ctx context.Context, volume *v1.PersistentVolume) {
	if volume.Status.Phase != v1.VolumeReleased || volume.Spec.PersistentVolumeReclaimPolicy != v1.PersistentVolumeReclaimDelete ||
		!slices.Contains(drivers, volume.Annotations[annotationProvisionedBy]) {
		return
	}
	if err := p.client.CoreV1().PersistentVolumes().Delete(ctx, volume.Name, metav1.DeleteOptions{}); err == nil {
		klog.InfoS("deleted", "volume", volume.Name)
	}
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "the kubeconfig of the cluster")
	healthAddress := flag.String("health-address", "127.0.0.1:0", "where /healthz answers")
	flag.Parse()
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "provisioner: %v\n", err)
		os.Exit(1)
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, 30*time.Second)
	p := &provisioner{client: client, classes: factory}
	factory.Storage().V1().StorageClasses().Informer()
	claim := func(object any) {
		if claim, ok := object.(*v1.PersistentVolumeClaim); ok {
			p.answer(ctx, claim)
		}
	}
	factory.Core().V1().PersistentVolumeClaims().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: claim, UpdateFunc: func(_, object any) { claim(object) },
	})
	volume := func(object any) {
		if volume, ok := object.(*v1.PersistentVolume); ok {
			p.reclaim(ctx, volume)
		}
	}
	factory.Core().V1().PersistentVolumes().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: volume, UpdateFunc: func(_, object any) { volume(object) },
	})
	factory.Start(ctx.Done())
	synced := factory.WaitForCacheSync(ctx.Done())
	ready := true
	for _, ok := range synced {
		ready = ready && ok
	}

	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprint(w, "ok")
	})
	server := &http.Server{Addr: *healthAddress}
	go func() {
		<-ctx.Done()
		server.Close()
	}()
	if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintf(os.Stderr, "provisioner: %v\n", err)
		os.Exit(1)
	}
}
