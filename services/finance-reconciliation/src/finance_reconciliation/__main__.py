import sys

from crm_shared.runtime import main
from finance_reconciliation.bootstrap import build
from finance_reconciliation.config import SERVICE, Settings

if __name__ == "__main__":
    sys.exit(main(SERVICE, __file__, Settings, build))
